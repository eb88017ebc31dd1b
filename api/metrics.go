package api

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics live in a registry per Server (not the global one) so tests can
// build many servers in one process.
type metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	graded       *prometheus.CounterVec
	gradeLatency prometheus.Histogram
}

func newMetrics(st Store) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "langassess_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "langassess_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}, []string{"route", "method"}),
		graded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "langassess_responses_graded_total",
			Help: "Grading attempts by outcome: graded, retry (left pending), failed (final), deferred (engine unavailable; pending, attempt not counted).",
		}, []string{"outcome"}),
		gradeLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "langassess_grading_duration_seconds",
			Help:    "Time one grading attempt took in the engine.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12),
		}),
	}
	queue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "langassess_review_queue_depth",
		Help: "Open reviews waiting for a grader.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := st.CountOpenReviews(ctx)
		if err != nil {
			return math.NaN() // unknown is not zero
		}
		return float64(n)
	})
	m.reg.MustRegister(m.requests, m.latency, m.graded, m.gradeLatency, queue,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) observeRequest(route, method string, status int, d time.Duration) {
	method = methodLabel(method)
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// methodLabel keeps the method label bounded: net/http accepts any token as
// a method, and each one would otherwise become a new series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// Graded and GradeLatency make metrics the worker's Observer.
func (m *metrics) Graded(outcome string) { m.graded.WithLabelValues(outcome).Inc() }

func (m *metrics) GradeLatency(d time.Duration) { m.gradeLatency.Observe(d.Seconds()) }
