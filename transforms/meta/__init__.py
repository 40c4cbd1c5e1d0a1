"""What an article is apart from its text: its bytes decoded, its language, its publication time."""
