"""Leeds objects for the isolation sweep, one module per app.

Each module defines `make(world, canary) -> list[str]`, called inside the Leeds schema: it creates at least one
object of every model its app's routes serve (through the app's services), puts `canary` in a text field where
there is one, and returns the ids (as strings) that must never appear in another board's answers.
"""
