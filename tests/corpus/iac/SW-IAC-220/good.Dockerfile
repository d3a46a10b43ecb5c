FROM golang:1.22 AS build
RUN go build -o /app
# shieldwall: expect-not-next SW-IAC-220
FROM gcr.io/distroless/static:nonroot
COPY --from=build /app /app
HEALTHCHECK CMD ["/app", "health"]
# shieldwall: expect-not-next SW-IAC-220
USER 65532:65532
