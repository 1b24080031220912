# Edit me: the server reads this when it starts.
GREETING = "Hello from Python"
