package audit

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// The chain HMAC covers an explicit encoding of a record, chosen by the
// record's V. Hashing the Record struct itself would tie every stored hash
// to the struct's current shape: one field added later and every old record
// would read as altered. So each version's bytes are frozen here, and a
// record keeps the version it was written with for as long as it exists.
//
// Version 0 — records written before versions existed (no "v" stored):
//
//	Prev ‖ json.Marshal(recordV0 with Hash empty)
//
// Version 1 — written by Append today:
//
//	0x01                    the version byte
//	seq                     8 bytes, big-endian
//	time                    RFC 3339 with nanoseconds, in UTC
//	actor, actorName, actorKind, source, operation, target, result, reason, prev
//
// where time and every string are written as uvarint(byte length) ‖ bytes,
// so no two different records share an encoding however their text is
// split. The HMAC covers exactly these bytes, nothing before or after.
//
// Adding a field to Record: define version 2 as version 1 plus the new field
// (at the end), give it its own encoder below, and raise currentVersion.
// The older encoders never change; TestRecordFieldsAreCoveredByAnEncoding
// fails until this is done.
const currentVersion = 1

// hashInput returns the bytes the chain HMAC covers for r, in the encoding
// r.V names.
func hashInput(r Record) ([]byte, error) {
	switch r.V {
	case 0:
		return encodeV0(r), nil
	case 1:
		return encodeV1(r), nil
	}
	return nil, fmt.Errorf("unknown encoding version %d", r.V)
}

// recordV0 is Record as it was when the chain hashed its JSON: these fields,
// tags and order are what version 0 hashes, so they never change.
type recordV0 struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`
	ActorName string    `json:"actorName"`
	ActorKind string    `json:"actorKind"`
	Source    string    `json:"source"`
	Operation string    `json:"operation"`
	Target    string    `json:"target"`
	Result    string    `json:"result"`
	Reason    string    `json:"reason"`
	Prev      string    `json:"prev"`
	Hash      string    `json:"hash"`
}

func encodeV0(r Record) []byte {
	b, _ := json.Marshal(recordV0{ // strings, an int and a time read back from JSON: cannot fail
		Seq: r.Seq, Time: r.Time, Actor: r.Actor, ActorName: r.ActorName, ActorKind: r.ActorKind,
		Source: r.Source, Operation: r.Operation, Target: r.Target, Result: r.Result, Reason: r.Reason,
		Prev: r.Prev,
	})
	return append([]byte(r.Prev), b...)
}

func encodeV1(r Record) []byte {
	fields := []string{r.Time.UTC().Format(time.RFC3339Nano),
		r.Actor, r.ActorName, r.ActorKind, r.Source, r.Operation, r.Target, r.Result, r.Reason, r.Prev}
	n := 1 + 8
	for _, f := range fields {
		n += binary.MaxVarintLen64 + len(f)
	}
	b := make([]byte, 0, n)
	b = append(b, 1)
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}
