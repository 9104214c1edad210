package users

// IndexHeld says whether s has read its users index and how many entries
// it holds.
func IndexHeld(s *Service) (loaded bool, entries int) {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	return s.idx.loaded, len(s.idx.entries)
}

// AfterIndexRead runs f when the index has next read the store, before it
// takes the rows read.
func AfterIndexRead(s *Service, f func()) { s.idx.afterRead = f }
