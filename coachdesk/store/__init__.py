"""The encrypted vault and one module per aggregate. Never imports textual."""
