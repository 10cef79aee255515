"""Extraction modules: turn ids, features and behaviour sequences into representations."""

from openrec2.modules.extractions.attribute_embedding import AttributeEmbedding
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.extractions.identity_mapping import IdentityMapping
from openrec2.modules.extractions.interest_evolving import GRU_TYPES, InterestEvolvingLayer
from openrec2.modules.extractions.interest_extractor import InterestExtractorNetwork
from openrec2.modules.extractions.latent_factor import LatentFactor
from openrec2.modules.extractions.look_up import LookUp
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.extractions.sdae import SDAE
from openrec2.modules.extractions.sequence_attention import SequenceAttLayer
from openrec2.modules.extractions.temporal_latent_factor import IDENTITY_PRETRAIN_STEPS, TemporalLatentFactor
from openrec2.modules.extractions.visual_projection import VisualProjection

__all__ = ["AttributeEmbedding", "Extraction", "GRU_TYPES", "IDENTITY_PRETRAIN_STEPS", "IdentityMapping", "InterestEvolvingLayer",
           "InterestExtractorNetwork", "LatentFactor", "LookUp", "MultiLayerFC", "SDAE", "SequenceAttLayer",
           "TemporalLatentFactor", "VisualProjection"]
