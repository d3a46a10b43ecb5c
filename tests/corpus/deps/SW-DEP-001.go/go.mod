module example.com/shop

go 1.21

require (
	github.com/gin-gonic/gin v1.5.0 // shieldwall: expect SW-DEP-001
	github.com/gin-gonic/gin/v2 v2.0.0 // indirect  shieldwall: expect-not SW-DEP-001
	golang.org/x/text v0.3.0 // indirect  shieldwall: expect-not SW-DEP-001
)

require github.com/example/other v1.6.0+incompatible // shieldwall: expect-not SW-DEP-001
