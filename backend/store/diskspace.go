package store

import "fmt"

// MinFreeSpace is the free space below which writes are refused with
// ErrDiskFull. Badger writes its memtable log and value log through
// memory-mapped, sparsely allocated files: on a full disk such a write is
// not an error but a SIGBUS that kills the process (measured on tmpfs, see
// backend/reliability TestDiskFull). Refusing writes while there is still
// room for a memtable flush and a compaction keeps the app up and the data
// whole; the writes work again once space is freed.
const MinFreeSpace = 16 << 20

// checkSpace refuses a write when the store's filesystem is nearly full.
// Where free space cannot be measured, writes go ahead.
func (s *Store) checkSpace() error {
	free, ok := freeSpace(s.dir)
	if !ok || free >= MinFreeSpace {
		return nil
	}
	return fmt.Errorf("%w: %d MiB free, %d MiB needed", ErrDiskFull, free>>20, MinFreeSpace>>20)
}
