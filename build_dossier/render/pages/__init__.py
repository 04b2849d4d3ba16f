"""One module per kind of generated file of docs/, each with a `render(ctx)` and a `KIND` (see `render.registry`)."""
