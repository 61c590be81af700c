namespace BtsCcst.Domain;

/// <summary>Reasons for non-conformity of a file (Annexe 4).</summary>
public enum NonConformityReason
{
    AttestationStageAbsente,
    DureeStageInsuffisante,
    CertificatTravailAbsent,
    PiecesNonViseesOuNonSignees,
    FicheProjetAbsente,
    FicheOuDossierAbsent,
    Autre,
}

public enum ConformityStatus { Conforme, NonConforme }

public static class ConformityRules
{
    /// <summary>Annexe 4: a non-conforming E4, U61 or U62 gets NV; a non-conforming EF2 or EF3 simply cannot take place.</summary>
    public static UnitResult? ResultWhenNotConforming(UnitCode unit) =>
        UnitCatalogue.Get(unit).MayBeNonValide ? UnitResult.NonValide : null;
}
