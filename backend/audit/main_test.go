package audit

import (
	"testing"

	"hostbound/backend/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
