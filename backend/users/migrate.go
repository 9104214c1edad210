package users

import "hostbound/backend/store"

// idsAssignedKey marks a store whose users all have ids, so that the scan
// of assignIDs runs once and not at every start: at 100,000 users it
// decoded every record and read every table into memory (issue 14).
const idsAssignedKey = "users-have-ids"

// assignIDs gives the users stored before ids existed their own id, once.
func assignIDs(st *store.Store) error {
	var done bool
	if err := st.View(func(tx *store.Txn) error {
		var err error
		done, err = tx.Has(idsAssignedKey)
		return err
	}); err != nil || done {
		return err
	}
	var missing []User
	if err := eachUser(st, func(u *User) {
		if u.ID == "" {
			missing = append(missing, *u)
		}
	}); err != nil {
		return err
	}
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
	return st.Update(func(tx *store.Txn) error { return tx.PutKey(idsAssignedKey) })
}
