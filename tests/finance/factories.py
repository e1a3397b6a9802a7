"""factory_boy factories for financial lines and the collaboration records. Test data only."""

from decimal import Decimal

import factory

from collaboration.models import (
    BusinessCase,
    CollaboratedFunction,
    CollaborationAgreement,
    CollaborationArea,
)
from finance.models import FinancialLine


class CollaborationAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborationArea

    name = factory.Sequence(lambda n: f"Collaboration area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


class CollaboratedFunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaboratedFunction

    name = factory.Sequence(lambda n: f"Collaborated function {n}")
    slug = factory.Sequence(lambda n: f"function-{n}")
    area = factory.SubFactory(CollaborationAreaFactory)


class BusinessCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessCase

    function = factory.SubFactory(CollaboratedFunctionFactory)
    stage = BusinessCase.Stage.FULL


class CollaborationAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborationAgreement

    title = factory.Sequence(lambda n: f"Collaboration agreement {n}")
    legal_basis = CollaborationAgreement.LegalBasis.S22A


class FinancialLineFactory(factory.django.DjangoModelFactory):
    """A £197k cost. Give it its record: ``paper=``, ``recommendation=``, ``decision_notice=``
    or (for a function's own line) only ``function=``."""

    class Meta:
        model = FinancialLine

    description = factory.Sequence(lambda n: f"Line {n}")
    amount = Decimal("197000")
    kind = FinancialLine.Kind.COST
