"""Automatic fixes: plans made by rules, edits made from plans, and applying them."""
