"""Partners: profiles and onboarding, availability, the dispatch engine, the job flow, earnings and payouts.

Partners imports bookings (never the reverse): bookings announces what needs a
partner through ``bookings.hooks`` and this app answers (DESIGN.md section 1).
"""
