"""Stored embeddings of cooperation profiles, one per profile and model."""

from __future__ import annotations

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileEmbedding(models.Model):
    """The raw (uncorrected) vector of a profile's text under one embedding model.

    ``text_hash`` is the matching engine's cache key of the embedded text
    (model name plus normalised title, text and keywords), so a vector is
    recomputed only when that text changes or another model is configured.
    """

    profile = models.ForeignKey(
        "profiles.CooperationProfile", on_delete=models.CASCADE, related_name="embeddings",
        verbose_name=_("cooperation profile"),
    )
    model_name = models.CharField(_("model"), max_length=200)
    text_hash = models.CharField(_("text hash"), max_length=64)
    dim = models.PositiveIntegerField(_("dimensions"))
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("profile embedding")
        verbose_name_plural = _("profile embeddings")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "model_name"], name="unique_embedding_per_profile_and_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} / {self.model_name}"

    def as_array(self) -> np.ndarray:
        """The vector as a float32 array of length ``dim``."""
        return np.frombuffer(bytes(self.vector), dtype=np.float32, count=self.dim).copy()

    @staticmethod
    def to_bytes(vector) -> bytes:
        """Serialise a vector as float32 bytes."""
        return np.asarray(vector, dtype=np.float32).tobytes()


class CachedVector(models.Model):
    """A vector of any text the engine embeds besides profiles (its reference corpus).

    Keyed like the engine's embedding cache (model name and normalised text),
    so every process shares what the background worker computed once.
    """

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    vector = models.BinaryField(_("vector"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cached vector")
        verbose_name_plural = _("cached vectors")

    def __str__(self) -> str:
        return self.key
