package store

import (
	"fmt"
	"time"
)

// MinFreeSpace is the free space below which writes are refused with
// ErrDiskFull. Badger writes its memtable log and value log through
// memory-mapped, sparsely allocated files: on a full disk such a write is
// not an error but a SIGBUS that kills the process (measured on tmpfs, see
// backend/reliability TestDiskFull). Refusing writes while there is still
// room for a memtable flush and a compaction keeps the app up and the data
// whole; the writes work again once space is freed.
const MinFreeSpace = 16 << 20

// checkSpace refuses a write when the store's filesystem is nearly full.
// Where free space cannot be measured, writes go ahead. With four times
// the minimum free, the next 100 ms of batches skip the statfs (one per
// batch cost more than the batch at one writer): they cannot write 48 MiB.
func (e *badgerEngine) checkSpace() error {
	now := time.Now().UnixNano()
	if now-e.spaceOK.Load() < int64(100*time.Millisecond) {
		return nil
	}
	free, ok := freeSpace(e.dir)
	if !ok || free >= 4*MinFreeSpace {
		e.spaceOK.Store(now)
		return nil
	}
	if free >= MinFreeSpace {
		return nil
	}
	return fmt.Errorf("%w: %d MiB free, %d MiB needed", ErrDiskFull, free>>20, MinFreeSpace>>20)
}
