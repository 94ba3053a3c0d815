"""A delivery of items to a buyer: the creators' ledger (shares and allocations) and the delivery documents."""
