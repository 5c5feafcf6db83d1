from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    phone = factory.Sequence(lambda n: f"+9195{n:08d}")  # no test writes a fixed +9195 number
    full_name = factory.Faker("name")
    password = factory.django.Password("correct-horse-battery")
