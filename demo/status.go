package demo

import (
	"context"

	"github.com/clientele/clientele/web"
)

// statusFunc adapts a function to web.StatusSource: the demo's status page is the daemon's,
// built by app.BuildOverview on the demo's clock.
type statusFunc func(context.Context) (web.Status, error)

// Status implements web.StatusSource.
func (f statusFunc) Status(ctx context.Context) (web.Status, error) { return f(ctx) }
