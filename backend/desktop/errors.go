package desktop

import (
	"encoding/json"
	"errors"
	"strconv"

	"hostbound/backend/apperr"
)

// uiError is what a bound method returns on failure. Wails rejects the
// frontend's promise with Error(), so Error() is the JSON the frontend
// parses: {"code", "field", "message"}.
type uiError struct {
	Code    apperr.Code         `json:"code"`
	Field   string              `json:"field"`
	Message string              `json:"message"`
	Fields  []apperr.FieldError `json:"fields,omitempty"`
}

func (e uiError) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// fail logs err once and returns what the frontend may see: the message of
// an *apperr.Error, or "internal error" while the log keeps the chain.
func (s *Session) fail(op string, err error) error {
	if ue := (uiError{}); errors.As(err, &ue) {
		return err // already logged where it was made
	}
	pub := apperr.Public(err)
	entry := s.log.WithField("op", op).WithField("code", pub.Code)
	if pub.Code == apperr.Internal {
		entry.WithError(err).Error("failed")
	} else {
		entry.WithField("field", pub.Field).Info(pub.Message)
	}
	return uiError{Code: pub.Code, Field: pub.Field, Message: pub.Message, Fields: pub.Fields}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
