package config

import "reflect"

// Redacted returns a deep copy of c that is safe to print or log: every Secret that is set
// reads "********" (unset ones stay empty, so the output still shows what is missing).
func (c *Config) Redacted() *Config {
	out := reflect.New(reflect.TypeOf(*c)).Elem()
	redactCopy(out, reflect.ValueOf(*c))
	r := out.Addr().Interface().(*Config)
	return r
}

// redactCopy copies src into dst, deeply, replacing the text of every Secret.
func redactCopy(dst, src reflect.Value) {
	switch {
	case src.Type() == secretType:
		dst.SetString(Secret(src.String()).String())
	case src.Kind() == reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			if dst.Field(i).CanSet() {
				redactCopy(dst.Field(i), src.Field(i))
			}
		}
	case src.Kind() == reflect.Pointer:
		if src.IsNil() {
			return
		}
		if src.Elem().Kind() != reflect.Struct || src.Type().Elem().PkgPath() == "time" {
			dst.Set(src) // *time.Location and the like are shared, not copied
			return
		}
		p := reflect.New(src.Type().Elem())
		redactCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case src.Kind() == reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			redactCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	default:
		dst.Set(src)
	}
}
