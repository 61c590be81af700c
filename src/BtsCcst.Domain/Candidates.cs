namespace BtsCcst.Domain;

/// <summary>Candidate categories of candidates.csv (D643-19).</summary>
public enum CandidateCategory
{
    ScolairePublic,
    ScolairePriveSousContrat,
    ApprentiCfaHabilite,
    FpcPublicHabilite,
    PriveHorsContrat,
    ApprentiCfaNonHabilite,
    FpcNonHabilite,
    EnseignementADistance,
    ExperienceProfessionnelle,
}

public enum ExamForm { Ccf, Ponctuel }

public static class CategoryRules
{
    /// <summary>
    /// D643-19: pupils of public or private-under-contract schools, apprentices of a habilitated CFA
    /// and continuing-education trainees of a habilitated public establishment may take CCF;
    /// every other candidate sits every unit in ponctual form.
    /// </summary>
    public static bool MayTakeCcf(CandidateCategory category) => category is
        CandidateCategory.ScolairePublic or CandidateCategory.ScolairePriveSousContrat or
        CandidateCategory.ApprentiCfaHabilite or CandidateCategory.FpcPublicHabilite;

    public static bool IsFormAllowed(CandidateCategory category, ExamForm form) =>
        form == ExamForm.Ponctuel || MayTakeCcf(category);
}

/// <summary>Anonymity of the school record: the circular's livret rule (Annexe 3).</summary>
public static class LivretRules
{
    /// <summary>D643-26: no candidate who supplied a livret may be adjourned before the jury has examined it.</summary>
    public static bool MustBeAcknowledgedBeforeAdjourning(bool suppliedLivret, bool acknowledged) => suppliedLivret && !acknowledged;
}
