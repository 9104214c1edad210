package restapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"hostbound/backend/apperr"
)

// INPUT_DATA is PMP's one parameter for what a call sends:
//
//	INPUT_DATA={"operation":{"Details":{"RESOURCENAME":"web01", ...}}}
//
// as a query parameter or a form field of the body. Unknown fields are
// ignored; a field of the wrong type or over its size is refused with its
// name; malformed JSON is refused with the position of the fault. Some PMP
// clients (XSOAR's) send a Python dict's repr — single quotes, True,
// False, None — which PMP accepts; so does Hostbound, by reading it as the
// JSON it stands for.

// details is operation.Details of INPUT_DATA, read field by field; every
// refused field is collected in form.
type details struct {
	raw  map[string]json.RawMessage
	form *apperr.Form
}

func readInput(r *http.Request) (details, error) {
	d := details{raw: map[string]json.RawMessage{}, form: &apperr.Form{}}
	raw := r.URL.Query().Get("INPUT_DATA")
	if r.Method == http.MethodPut || r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return d, fmt.Errorf("request body over %d bytes", maxBody)
			}
			return d, errors.New("malformed request body")
		}
		if v := r.PostForm.Get("INPUT_DATA"); v != "" {
			raw = v
		}
	}
	if strings.TrimSpace(raw) == "" {
		return d, nil
	}
	var doc struct {
		Operation *struct {
			Details json.RawMessage `json:"Details"`
		} `json:"operation"`
	}
	if err := decodeLenient(raw, &doc); err != nil {
		return d, err
	}
	if doc.Operation == nil || len(doc.Operation.Details) == 0 || string(doc.Operation.Details) == "null" {
		return d, nil
	}
	if err := json.Unmarshal(doc.Operation.Details, &d.raw); err != nil {
		return d, errors.New("INPUT_DATA: operation.Details must be an object")
	}
	return d, nil
}

// decodeLenient decodes JSON, or a Python literal standing for it.
func decodeLenient(raw string, v any) error {
	err := strictDecode(raw, v)
	if err == nil {
		return nil
	}
	if alt, ok := pythonToJSON(raw); ok && strictDecode(alt, v) == nil {
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("INPUT_DATA is not valid JSON: %s at character %d", syn.Error(), syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field == "" {
			return errors.New("INPUT_DATA must be a JSON object: {\"operation\":{\"Details\":{...}}}")
		}
		return fmt.Errorf("INPUT_DATA: %s must be an object (character %d)", typ.Field, typ.Offset)
	}
	return fmt.Errorf("INPUT_DATA is not valid JSON: %v", err)
}

func strictDecode(raw string, v any) error {
	dec := json.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		off := dec.InputOffset()
		return fmt.Errorf("unexpected data after the JSON value at character %d", off)
	}
	return nil
}

// pythonToJSON rewrites a Python literal ({'A': 'b', 'C': True}) as JSON.
func pythonToJSON(s string) (string, bool) {
	if !strings.Contains(s, "'") && !strings.Contains(s, "True") && !strings.Contains(s, "False") && !strings.Contains(s, "None") {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			quote := c
			var str strings.Builder
			i++
			for ; i < len(s) && s[i] != quote; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
					switch s[i] {
					case 'n':
						str.WriteByte('\n')
					case 't':
						str.WriteByte('\t')
					case 'r':
						str.WriteByte('\r')
					default:
						str.WriteByte(s[i])
					}
					continue
				}
				str.WriteByte(s[i])
			}
			if i >= len(s) {
				return "", false
			}
			enc, _ := json.Marshal(str.String())
			b.Write(enc)
		case strings.HasPrefix(s[i:], "True"):
			b.WriteString("true")
			i += 3
		case strings.HasPrefix(s[i:], "False"):
			b.WriteString("false")
			i += 4
		case strings.HasPrefix(s[i:], "None"):
			b.WriteString("null")
			i += 3
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// str reads a text field of at most max characters; ok is false when the
// field is absent (or null).
func (d details) str(name string, max int) (v string, ok bool) {
	raw, found := d.raw[name]
	if !found || string(raw) == "null" {
		return "", false
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		d.form.Add(name, "%s: must be text (a JSON string)", name)
		return "", false
	}
	if utf8.RuneCountInString(v) > max {
		d.form.Add(name, "%s: at most %d characters", name, max)
		return "", false
	}
	return v, true
}

// text is str, blank when absent.
func (d details) text(name string, max int) string {
	v, _ := d.str(name, max)
	return v
}

// opt is str as a pointer: nil when absent, for patches.
func (d details) opt(name string, max int) *string {
	if v, ok := d.str(name, max); ok {
		return &v
	}
	return nil
}

// flag reads a boolean sent as true/false or as the strings "true"/"false"
// (PMP's own answers carry them so); ok is false when absent.
func (d details) flag(name string) (v, ok bool) {
	raw, found := d.raw[name]
	if !found || string(raw) == "null" {
		return false, false
	}
	if json.Unmarshal(raw, &v) == nil {
		return v, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "yes", "1":
			return true, true
		case "false", "no", "0", "":
			return false, true
		}
	}
	d.form.Add(name, "%s: must be true or false", name)
	return false, false
}

// optFlag is flag as a pointer: nil when absent.
func (d details) optFlag(name string) *bool {
	if v, ok := d.flag(name); ok {
		return &v
	}
	return nil
}

// list reads a list of objects (ACCOUNTLIST), each read as details of its
// own whose refusals name their place: ACCOUNTLIST[1].ACCOUNTNAME.
func (d details) list(name string, max int) []details {
	raw, found := d.raw[name]
	if !found || string(raw) == "null" {
		return nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		d.form.Add(name, "%s: must be a list of objects", name)
		return nil
	}
	if len(items) > max {
		d.form.Add(name, "%s: at most %d items", name, max)
		return nil
	}
	out := make([]details, len(items))
	for i, it := range items {
		out[i] = details{raw: it, form: &apperr.Form{}}
	}
	return out
}

// err returns the refusals collected, the items' included.
func (d details) err(items ...details) error {
	for i, it := range items {
		if e := apperr.As(it.form.Err()); e != nil {
			for _, fe := range e.Fields {
				d.form.Add(fmt.Sprintf("%s[%d].%s", "ACCOUNTLIST", i, fe.Field), "ACCOUNTLIST[%d].%s", i, fe.Message)
			}
		}
	}
	return d.form.Err()
}
