package outreach_test

import (
	"github.com/clientele/clientele/outreach"
	"github.com/clientele/clientele/store"
)

// The store is what the commands hand the engine.
var _ outreach.Store = (*store.DB)(nil)
