"""Signals sent by board provisioning. Receivers run inside the provisioning transaction, in the new board's
schema: if one raises, the whole board (schema, rows, domain) is rolled back.

Other apps seed their defaults and record the audit entry by receiving `board_provisioned`, so that
`tenants` imports no app above it (import-linter contract).
"""

from django.dispatch import Signal

# sender=Board, board=<Board>, actor=<User or None>
board_provisioned = Signal()
