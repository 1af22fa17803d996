package live

import (
	"context"
	"sync"

	"github.com/gatelint/gatelint/internal/model"
)

// eachPage reads every page of an SDK paginator (more, next) under the
// service's bound, handing each to use; it stops at the first error.
func eachPage[O any](ctx context.Context, a *audit, service string, more func() bool, next func(context.Context) (O, error), use func(O)) error {
	for more() {
		var out O
		err := a.call(ctx, service, func(ctx context.Context) (err error) {
			out, err = next(ctx)
			return err
		})
		if err != nil {
			return err
		}
		use(out)
	}
	return nil
}

// readAPIs reads the listed APIs in parallel (the service's bound limits
// the calls in flight) and adds them to the region's model in list order.
func readAPIs[T any](ctx context.Context, r *regionReader, apis []T, read func(context.Context, T) *model.API) {
	r.a.tick(r.c.region, len(apis), 0)
	models := make([]*model.API, len(apis))
	var wg sync.WaitGroup
	for i, api := range apis {
		wg.Go(func() {
			models[i] = read(ctx, api)
			r.a.tick(r.c.region, 0, 1)
		})
	}
	wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, api := range models {
		r.b.API(api)
	}
}
