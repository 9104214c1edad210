package audit

import (
	"fmt"

	"hostbound/backend/store"
)

// Head returns the sequence number and chain value of the newest record
// (0 and "" for an empty trail): what a backup records so that its restore
// can show it ends where the backed-up trail ended.
func Head(tx *store.Txn) (seq uint64, hash string, err error) {
	h, err := readHead(tx)
	if err != nil {
		return 0, "", fmt.Errorf("audit head: %w", err)
	}
	return h.Seq, h.Hash, nil
}
