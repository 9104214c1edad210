package users

import "hostbound/backend/store"

// assignIDs gives the users stored before ids existed their own id, once.
func assignIDs(st *store.Store, missing []User) error {
	for start := 0; start < len(missing); start += bulkBatch {
		batch := missing[start:min(start+bulkBatch, len(missing))]
		for i := range batch {
			batch[i].ID = newID()
		}
		if err := st.Update(func(tx *store.Txn) error {
			for i := range batch {
				if err := tx.Put(userKey(batch[i].Username), &batch[i]); err != nil {
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
