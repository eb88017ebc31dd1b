// Package api is the HTTP interface: the Gin router, handlers, middleware
// (request id, access log, recovery, auth, limits), RFC 9457 problem+json
// errors and the OpenAPI document. A Server is safe for concurrent use.
package api
