package sdk

import (
	"sync"
	"time"
)

// maxCachedValues bounds the agent's value cache: a batch holds at most a
// few hundred ids, and an agent serves a handful of providers.
const maxCachedValues = 4096

// valueCache keeps values in the agent's memory for --cache-ttl, never on
// disk, keyed by provider and id. Only values are kept: a failed id is
// asked again every time. It is off unless --cache-ttl asks for it,
// because a cached value outlives its rotation in the backend by up to
// the TTL.
type valueCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[cacheKey]cachedValue
}

type cacheKey struct{ provider, id string }

type cachedValue struct {
	value   string
	expires time.Time
}

func newValueCache(ttl time.Duration) *valueCache {
	return &valueCache{ttl: ttl, m: map[cacheKey]cachedValue{}}
}

// get returns the unexpired values of ids it holds.
func (c *valueCache) get(provider string, ids []string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	hits := map[string]string{}
	for _, id := range ids {
		k := cacheKey{provider, id}
		if v, ok := c.m[k]; ok {
			if now.Before(v.expires) {
				hits[id] = v.value
			} else {
				delete(c.m, k)
			}
		}
	}
	return hits
}

// put keeps values until the TTL; when full, expired entries go first,
// then, if still full, everything (the cache is an optimisation only).
func (c *valueCache) put(provider string, values map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if len(c.m)+len(values) > maxCachedValues {
		for k, v := range c.m {
			if !now.Before(v.expires) {
				delete(c.m, k)
			}
		}
		if len(c.m)+len(values) > maxCachedValues {
			clear(c.m)
		}
	}
	for id, v := range values {
		if len(c.m) >= maxCachedValues {
			return
		}
		c.m[cacheKey{provider, id}] = cachedValue{value: v, expires: now.Add(c.ttl)}
	}
}
