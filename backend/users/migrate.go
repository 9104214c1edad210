package users

import "hostbound/backend/store"

// assignIDs gives every user stored before ids existed its own id, once.
func assignIDs(st *store.Store) error {
	var missing []User
	err := st.View(func(tx *store.Txn) error {
		return tx.Each(userPrefix, func(_ string, decode func(any) error) (bool, error) {
			var u User
			if err := decode(&u); err != nil {
				return false, err
			}
			if u.ID == "" {
				missing = append(missing, u)
			}
			return true, nil
		})
	})
	if err != nil || len(missing) == 0 {
		return err
	}
	for start := 0; start < len(missing); start += bulkBatch {
		batch := missing[start:min(start+bulkBatch, len(missing))]
		if err := st.Update(func(tx *store.Txn) error {
			for i := range batch {
				u := batch[i]
				u.ID = newID()
				if err := tx.Put(userKey(u.Username), &u); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}
