package vault

// Key prefixes for the external tests' checks that nothing was left behind.
const (
	GrantPrefixForTest   = grantPrefix
	AccountPrefixForTest = acctPrefix
	NamePrefixForTest    = namePrefix
	MigratedKeyForTest   = migratedKey
)
