"""The virtual chip: a software CCCD / eMRTD for tests, demos and clerk training.

``reader.chip.chip.VirtualChip(persona, faults)`` is the card; ``reader.chip.faults.Faults`` says
what is wrong with it; ``reader.chip.personalise.personalise`` builds its files and keys;
``reader.chip.vpcd.VpcdBridge`` puts it behind pcscd. Nothing is imported here, so that loading
one of them (e.g. the personas) does not pull in the others.
"""
