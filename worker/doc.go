// Package worker grades stored answers: GradeNow grades a just-stored
// response inside the request that stored it, Run grades pending responses
// in the background (leases through the store, so several replicas share
// the work; retries with exponential backoff and jitter; an attempt the
// engine was unavailable for is deferred without counting), and Await lets
// a request wait for an outcome another holder of the lease records.
//
// A Worker is safe for concurrent use. Run returns after its context is
// cancelled and the attempts in flight, each bounded by the grade timeout,
// have recorded their outcome: nothing leased is left without one unless
// the process dies, and then the lease expires and another process retries.
package worker
