package authguard

// table is a bounded map whose entries also form a list, oldest first.
// Lookup, adding, moving an entry to the back and removing the front are
// O(1); moving each entry back when it is used makes it an LRU.
type table[K comparable, V any] struct {
	max  int
	m    map[K]*node[K, V]
	root node[K, V] // sentinel: root.next is the front, root.prev the back
}

type node[K comparable, V any] struct {
	key        K
	val        V
	prev, next *node[K, V]
}

func newTable[K comparable, V any](max int) *table[K, V] {
	t := &table[K, V]{max: max, m: map[K]*node[K, V]{}}
	t.root.prev, t.root.next = &t.root, &t.root
	return t
}

func (t *table[K, V]) len() int { return len(t.m) }

func (t *table[K, V]) get(k K) (*node[K, V], bool) {
	n, ok := t.m[k]
	return n, ok
}

// front is the oldest entry, or nil.
func (t *table[K, V]) front() *node[K, V] {
	if t.root.next == &t.root {
		return nil
	}
	return t.root.next
}

// add puts a new key at the back. When the table is full, the front entry
// makes room and is returned, for the caller to settle its value.
func (t *table[K, V]) add(k K, v V) (n, evicted *node[K, V]) {
	if len(t.m) >= t.max {
		evicted = t.front()
		t.remove(evicted)
	}
	n = &node[K, V]{key: k, val: v}
	t.link(n)
	t.m[k] = n
	return n, evicted
}

func (t *table[K, V]) toBack(n *node[K, V]) {
	t.unlink(n)
	t.link(n)
}

func (t *table[K, V]) remove(n *node[K, V]) {
	t.unlink(n)
	delete(t.m, n.key)
}

func (t *table[K, V]) link(n *node[K, V]) {
	n.prev, n.next = t.root.prev, &t.root
	t.root.prev.next = n
	t.root.prev = n
}

func (t *table[K, V]) unlink(n *node[K, V]) {
	n.prev.next, n.next.prev = n.next, n.prev
	n.prev, n.next = nil, nil
}
