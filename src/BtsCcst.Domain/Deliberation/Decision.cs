namespace BtsCcst.Domain;

/// <summary>A candidate's deliberation decision, written with <see cref="Codes.ToCode{T}"/> (INCOMPLET, NON_VALIDE, ..., SECOND_GROUPE).</summary>
public enum Decision
{
    /// <summary>A mandatory unit has no result yet: no decision (deliberation.md, decision 1).</summary>
    Incomplet,
    /// <summary>A mandatory unit is NV: the diploma cannot be awarded (Annexe 4).</summary>
    NonValide,
    /// <summary>A mandatory unit is ABS: the diploma cannot be awarded (D643-24).</summary>
    Absent,
    /// <summary>Average at least 10 (D643-13).</summary>
    Admis,
    /// <summary>Admitted to the épreuves de contrôle (D643-15).</summary>
    SecondGroupe,
    /// <summary>Adjourned.</summary>
    Ajourne,
}

/// <summary>The phases of a jury (deliberation.md "The jury"), written FIRST_OPEN, FIRST_CLOSED, SECOND_OPEN, CLOSED.</summary>
public enum JuryPhase { FirstOpen, FirstClosed, SecondOpen, Closed }
