package vault

import (
	"strings"

	"hostbound/backend/store"
)

// migratedKey marks a store whose vault data belongs to user ids: the
// migration's scans are not repeated at every open.
const migratedKey = "vault/migrated-to-user-ids"

// legacySharePrefix is where shares were kept by username, before they
// belonged to user ids: vault/share/<lower username>/res/<rid> → Permission.
const legacySharePrefix = "vault/share/"

// Migrate moves data written before ownership and shares belonged to user
// ids: each resource gets its owner's id, each share moves under its
// grantee's id. idOf names the user with a username now; a share or an
// ownership whose user is gone is dropped (nobody inherits it). It runs at
// open and does nothing once done.
func Migrate(st *store.Store, idOf func(username string) (id, name string, ok bool)) error {
	type move struct {
		from, to string
		value    share
	}
	var moves []move
	var drops []string
	var owners []Resource
	done := false
	err := st.View(func(tx *store.Txn) error {
		var err error
		if done, err = tx.Has(migratedKey); err != nil || done {
			return err
		}
		if err := tx.Each(legacySharePrefix, func(k string, decode func(any) error) (bool, error) {
			var perm Permission
			if err := decode(&perm); err != nil {
				return false, err
			}
			rest := strings.TrimPrefix(k, legacySharePrefix)
			user, tail, _ := strings.Cut(rest, "/")
			id, name, ok := idOf(user)
			if !ok {
				drops = append(drops, k)
				return true, nil
			}
			moves = append(moves, move{from: k, to: granteePrefix(id) + tail, value: share{Permission: perm, Grantee: name}})
			return true, nil
		}); err != nil {
			return err
		}
		return tx.Each(resPrefix, func(_ string, decode func(any) error) (bool, error) {
			var r Resource
			if err := decode(&r); err != nil {
				return false, err
			}
			if r.OwnerID == "" && r.Owner != "" {
				if id, _, ok := idOf(r.Owner); ok {
					r.OwnerID = id
				} else {
					r.Owner = ""
				}
				owners = append(owners, r)
			}
			return true, nil
		})
	})
	if err != nil || done {
		return err
	}
	return st.Update(func(tx *store.Txn) error {
		if err := tx.Put(migratedKey, true); err != nil {
			return err
		}
		for _, m := range moves {
			if err := tx.Put(m.to, m.value); err != nil {
				return err
			}
			if err := tx.Delete(m.from); err != nil {
				return err
			}
		}
		for _, k := range drops {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		for _, r := range owners {
			if err := tx.Put(resKey(r.ID), r); err != nil {
				return err
			}
		}
		return nil
	})
}
