"""One row in, one row out, on the hot paths, with statements written once instead of built by the ORM each time.

Issue #21 (checkout confirm at 100/s on two cores): the ORM compiles every statement again on every call, and
for a single row that costs more than the database does. Reading an address by its key took 0.38 ms of CPU here
against 0.12 ms for the same ``SELECT`` already written; inserting a booking (about sixty columns) spent most of
its time building the ``INSERT``. These helpers keep what the ORM gives a caller and drop only the building:

* :func:`insert_row` saves a new instance as ``instance.save(force_insert=True)`` does: every field's ``pre_save``
  (``auto_now``), ``get_db_prep_save`` (adapting JSON, decimals, keys), ``pre_save`` and ``post_save`` signals
  when something listens, the instance marked saved. A model it cannot treat as the ORM would (a ``save()`` of its
  own, multi-table inheritance, a key or column the database fills in, an expression as a value) is saved by
  ``save()`` itself: the helper is never wrong, only sometimes not faster.
* :func:`get_row` reads one instance by equalities on fields (``get_row(Address, pk=..., user=...)``), converting each
  column as the ORM's compiler does (``get_db_converters``), or ``None``. Invalid values raise what the ORM's
  lookups raise (``ValidationError`` for a malformed UUID).

The statements are cached per model, field names and database alias; values are always bound, never formatted in.
``accounts.authentication`` (the user of a token), ``core.idempotency`` and ``core.sequences`` wrote their
statements the same way before this module; the first now uses it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.db.models.expressions import Col
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)

_Converters = list[tuple[int, list[Callable[..., Any]], Col]]


@functools.cache
def _insertable(model: type[Model]) -> tuple[Field, ...] | None:
    """The fields an insert writes, or ``None`` when ``save()`` must do it (see the module's docstring)."""
    meta = model._meta
    if model.save is not Model.save or meta.parents or meta.proxy or not meta.pk or not meta.pk.has_default():
        return None
    fields = tuple(field for field in meta.local_concrete_fields if not field.generated)
    if any(getattr(field, "db_returning", False) for field in fields):  # a key or a db_default the database fills in
        return None
    return fields


# Statements are kept for inserts of up to this many rows at once; more go to ``bulk_create``.
MAX_ROWS = 16


@functools.cache
def _insert_sql(model: type[Model], alias: str, rows: int) -> str:
    quote = connections[alias].ops.quote_name
    fields = _insertable(model) or ()
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {marks}"  # noqa: S608 - names from the model


def insert_row(instance: Model) -> None:
    """Insert ``instance`` (new, its key already set by the key's default) as ``save(force_insert=True)`` would."""
    model = type(instance)
    if pre_save.has_listeners(model) or not _written(model, [instance]):  # a receiver may change the row: save()
        instance.save(force_insert=True)
        return
    if post_save.has_listeners(model):
        using = instance._state.db
        post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using)


def insert_rows(instances: Sequence[Model]) -> None:
    """``bulk_create(instances)`` (which sends no signals), in one statement written once for a few rows."""
    if not instances:
        return
    model = type(instances[0])
    if len(instances) > MAX_ROWS or not _written(model, instances):
        model._default_manager.bulk_create(instances)


def _written(model: type[Model], instances: Sequence[Model]) -> bool:
    """Insert ``instances`` (all of ``model``) in one statement and mark them saved; ``False`` (nothing written)
    when the ORM must: see the module's docstring."""
    fields = _insertable(model)
    if fields is None or any(type(instance) is not model or not instance._state.adding for instance in instances):
        return False
    using = router.db_for_write(model, instance=instances[0])
    connection = connections[using]
    values = []
    for instance in instances:
        # as save(): a related instance saved since it was set gives its key now (not in django-stubs)
        instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        for field in fields:
            value = field.pre_save(instance, True)
            if hasattr(value, "resolve_expression"):  # an expression: the ORM's compiler resolves it
                return False
            values.append(field.get_db_prep_save(value, connection))
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:  # as save_base()
        cursor.execute(_insert_sql(model, using, len(instances)), values)
    for instance in instances:
        instance._state.adding, instance._state.db = False, using
    return True


@functools.cache
def _select(model: type[Model], names: tuple[str, ...], alias: str) -> tuple[str, list[Field], list[str], _Converters]:
    """The ``SELECT`` of every column where each of ``names`` equals a value, the fields compared, the attribute
    names of the columns and their converters (as ``SQLCompiler.get_converters`` finds them)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    compared = [cast(Field, meta.pk if name == "pk" else meta.get_field(name)) for name in names]
    table, fields = meta.db_table, meta.concrete_fields
    where = " AND ".join(f"{quote(field.column)} = %s" for field in compared)
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"SELECT {columns} FROM {quote(table)} WHERE {where}"  # noqa: S608 - names from the model
    converters: _Converters = []
    for index, field in enumerate(fields):
        column = field.get_col(table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((index, functions, column))
    return sql, compared, [field.attname for field in fields], converters  # type: ignore[return-value]


def get_row(model: type[M], **equals: Any) -> M | None:
    """The instance of ``model`` whose fields equal ``equals`` (a key, a foreign key's instance or key), or
    ``None``; at most one row may match (the caller compares a key). SQL's ``=``: a ``None`` matches nothing
    (where the ORM's ``field=None`` means ``IS NULL``)."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    names = tuple(equals)
    sql, compared, attnames, converters = _select(model, names, alias)
    params = []
    for field, name in zip(compared, names, strict=True):
        value = equals[name]
        if isinstance(value, Model):
            value = value.pk
        target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
        params.append(target.get_db_prep_value(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, functions, column in converters:
        for convert in functions:
            values[index] = convert(values[index], column, connection)
    return model.from_db(alias, attnames, values)
