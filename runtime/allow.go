package runtime

// Allow lets only the principals rule allows run the callback, on top of
// its dashboard's rule (DashboardAllow). The server checks it at each call,
// before anything runs, and answers a refused one with a forbidden error,
// which the page shows; the browser never decides. Several Allows must all
// allow.
func Allow(rule Rule) Option {
	return func(s *Spec) { s.allow = append(s.allow, rule) }
}

// DashboardAllow lets only the principals rule allows open the dashboard:
// its page (host.Page redirects or refuses the others) and every callback
// of it, so that a session calls only callbacks of dashboards it may open.
func DashboardAllow(rule Rule) DashboardOption {
	return func(d *Dashboard) { d.allow = append(d.allow, rule) }
}

// Restricted reports whether the dashboard has rules: whether anyone may be
// refused.
func (d *Dashboard) Restricted() bool { return len(d.allow) > 0 }

// Allows reports whether p may open the dashboard.
func (d *Dashboard) Allows(p Principal) bool { return allowed(d.allow, p) }

// Allows reports whether p may run the callback: its dashboard's rules and
// its own allow p.
func (cb *Callback) Allows(p Principal) bool {
	if cb.dash != nil && !cb.dash.Allows(p) {
		return false
	}
	return allowed(cb.spec.allow, p)
}

// Restricted reports whether the callback has rules of its own or of its
// dashboard: whether anyone may be refused.
func (cb *Callback) Restricted() bool {
	return len(cb.spec.allow) > 0 || (cb.dash != nil && cb.dash.Restricted())
}

func allowed(rules []Rule, p Principal) bool {
	for _, r := range rules {
		if !r(p.clone()) {
			return false
		}
	}
	return true
}
