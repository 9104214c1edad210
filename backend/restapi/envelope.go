package restapi

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// PMP's response envelope:
//
//	{"operation":{"name":"GET PASSWORD",
//	  "result":{"status":"Success","message":"Password fetched successfully"},
//	  "Details":{...}}}
type envelope struct {
	Operation operation `json:"operation"`
}

type operation struct {
	Name      string `json:"name"`
	Result    result `json:"result"`
	TotalRows *int   `json:"totalRows,omitempty"`
	Details   any    `json:"Details,omitempty"`
}

type result struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// reply is what a handler answers: an HTTP status and the envelope.
type reply struct {
	status int
	body   envelope
}

func success(op, msg string, details any) reply {
	return reply{status: http.StatusOK, body: envelope{operation{Name: op, Result: result{"Success", msg}, Details: details}}}
}

func failure(status int, op, msg string) reply {
	return reply{status: status, body: envelope{operation{Name: op, Result: result{"Failed", msg}}}}
}

// failed turns a reply into a refusal that keeps its Details.
func (r reply) failed(status int, msg string) reply {
	r.status, r.body.Operation.Result = status, result{"Failed", msg}
	return r
}

func (r reply) write(w http.ResponseWriter, retryAfter int) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.WriteHeader(r.status)
	_ = json.NewEncoder(w).Encode(r.body)
}

// id renders an id as PMP does: a decimal string.
func id(n uint64) string { return strconv.FormatUint(n, 10) }
