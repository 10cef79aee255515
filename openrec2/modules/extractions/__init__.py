"""Extraction modules: turn ids and features into representations."""

from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.extractions.identity_mapping import IdentityMapping
from openrec2.modules.extractions.latent_factor import LatentFactor
from openrec2.modules.extractions.look_up import LookUp
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.extractions.sdae import SDAE
from openrec2.modules.extractions.temporal_latent_factor import TemporalLatentFactor

__all__ = ["Extraction", "IdentityMapping", "LatentFactor", "LookUp", "MultiLayerFC", "SDAE",
           "TemporalLatentFactor"]
