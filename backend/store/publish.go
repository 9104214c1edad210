package store

// Engines that share a database between nodes tell each other of commits
// and carry messages between them (pg_notify.go). The embedded engine has
// one process and no other node: for it these are no-ops.

// announcer tells other nodes, inside the transaction t, that it moves
// the generations in touched: they hear of it only if t commits.
type announcer interface {
	announce(t etxn, touched map[*Gen]bool) error
}

// messenger carries messages between the nodes of one database.
type messenger interface {
	publish(topic string, msg []byte) error
	subscribe(topic string, fn func(msg []byte))
}

// announce runs the engine's announcer, if any, for a batch about to
// commit.
func (s *Store) announce(t etxn, sh *shared) error {
	a, ok := s.eng.(announcer)
	if !ok || len(sh.touched) == 0 {
		return nil
	}
	return a.announce(t, sh.touched)
}

// Publish sends msg to the subscribers of topic on the other nodes that
// share this store's database (never to this node's own). Delivery is at
// most once and only to nodes listening at that moment: a message is news
// (a failed login seen elsewhere), not state. It waits a short time at
// most (2 s) and returns the error if the database did not take it. On
// the embedded engine there is no other node: it returns nil.
func (s *Store) Publish(topic string, msg []byte) error {
	if m, ok := s.eng.(messenger); ok {
		return m.publish(topic, msg)
	}
	return nil
}

// Subscribe calls fn with every message other nodes publish on topic. fn
// runs on the goroutine that also moves the generations on other nodes'
// commits: it must return quickly (hand long work to another goroutine).
// msg is fn's to keep.
func (s *Store) Subscribe(topic string, fn func(msg []byte)) {
	if m, ok := s.eng.(messenger); ok {
		m.subscribe(topic, fn)
	}
}
