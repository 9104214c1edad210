// Package onboard reads the lists bulk onboarding starts from and writes the
// files it delivers keys in. It is pure: no store, no network, no Wails.
//
// # Input
//
// Two forms describe the API users to create, one row each:
//
//   - a host list: one host per line (a hostname, an IP address or a CIDR);
//     blank lines and lines starting with # are left out. Every other cell
//     of the row is empty and takes the defaults of the run (the Username
//     becomes <prefix>@<host>).
//   - a CSV file with a header row naming its columns, in any order and any
//     case: Username, Host Name, Full Name, Access Level, Access Scope,
//     Department, Location, Expiry Date, SSH Public Key. Host Name is
//     required; a column the header does not name is empty for every row.
//     A column name the importer does not know is refused with its name
//     (ErrUnknownColumn), so that a typo does not silently drop data. A
//     UTF-8 byte order mark, CRLF line ends and quoted cells (commas,
//     quotes and line breaks inside) are read as spreadsheets write them;
//     rows whose cells are all empty are left out.
//
// Rows keep their cells as text: what the cells mean (a role's name, a
// date, a key) and whether they are valid is the users package's to say,
// with the same messages as the Add API User form.
//
// # Output
//
// The keys of a run are delivered once, as files that only the operator (or
// the host) can read, and written nowhere else:
//
//   - KeyFile: a CSV file (username, host, key), mode 0600, written batch by
//     batch as users are created, so that a cancelled run leaves exactly the
//     keys of the users that exist.
//   - WriteSealed: <username>.key.age in a directory, mode 0600, the key
//     encrypted with age to the host's SSH public key (ssh-ed25519 or
//     ssh-rsa), so that `age -d -i ~/.ssh/id_ed25519 <file>` on that host
//     and nowhere else prints it.
package onboard

import "errors"

// Errors of the parsers. Each is wrapped with the detail (a column's name,
// a line) it concerns; test with errors.Is.
var (
	// ErrUnknownColumn: the CSV header names a column the importer does
	// not know.
	ErrUnknownColumn = errors.New("unknown column")
	// ErrDuplicateColumn: the CSV header names a column twice.
	ErrDuplicateColumn = errors.New("column named twice")
	// ErrNoHostColumn: the CSV header has no Host Name column.
	ErrNoHostColumn = errors.New("no Host Name column")
	// ErrEmpty: the input holds no row.
	ErrEmpty = errors.New("no rows")
	// ErrTooManyRows: the input holds more than MaxRows rows.
	ErrTooManyRows = errors.New("too many rows")
	// ErrMalformed: the CSV cannot be read (a stray quote, a row longer
	// than the header).
	ErrMalformed = errors.New("malformed CSV")
	// ErrNotSealable: the SSH public key is neither ssh-ed25519 nor ssh-rsa,
	// the two kinds age encrypts to.
	ErrNotSealable = errors.New("age can seal only to ssh-ed25519 and ssh-rsa keys")
)

// MaxRows is the most rows one input may hold.
const MaxRows = 100_000

// maxCell is the longest cell kept (an RSA-4096 key line is about 750
// bytes); validation refuses what is still too long for its field.
const maxCell = 16 << 10

// Row is one API user to create, as the input gives it: text cells, ""
// for a cell the input leaves empty. Line is where the row starts in the
// input (1-based), for messages.
type Row struct {
	Line         int    `json:"line"`
	Username     string `json:"username"`
	Host         string `json:"host"`
	FullName     string `json:"fullName"`
	AccessLevel  string `json:"accessLevel"`
	AccessScope  string `json:"accessScope"`
	Department   string `json:"department"`
	Location     string `json:"location"`
	ExpiryDate   string `json:"expiryDate"`
	SSHPublicKey string `json:"sshPublicKey"`
}

// Columns are the CSV header's names, as the Add API User form labels its
// fields, in the order a template lists them.
var Columns = []string{"Username", "Host Name", "Full Name", "Access Level", "Access Scope",
	"Department", "Location", "Expiry Date", "SSH Public Key"}

// cell returns the field of r that column c (an index into Columns) fills.
func (r *Row) cell(c int) *string {
	return [...]*string{&r.Username, &r.Host, &r.FullName, &r.AccessLevel, &r.AccessScope,
		&r.Department, &r.Location, &r.ExpiryDate, &r.SSHPublicKey}[c]
}
