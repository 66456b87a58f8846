/**
 * Mutation fuzzing of the trusted checker, with a native run of every mutant
 * it accepts.
 *
 * <p>The seeds are the examples, assembled with their {@code .ring0.types}
 * sections and verified ({@link ring0.conformance.fuzz.Seeds}). A mutant is
 * a seed with one to four edits ({@link ring0.conformance.fuzz.Mutator}): byte
 * edits of the code, the polls and the stop block ({@code ByteEdits},
 * {@code CodeEdits}), instructions rewritten through the encoder
 * ({@code InsnEdits}), edits of the annotation texts and records
 * ({@code AnnotationEdits}, {@code RecordEdits}, over {@code TypesModel}), and
 * light edits of the data, {@code .ring0.meta}, the annotation bytes and the
 * ELF, program and section headers ({@code FileEdits}); never of the Linux
 * entry stub. The checker must answer each with accept or reject
 * ({@link ring0.conformance.fuzz.Gate}); every distinct accepted mutant runs
 * as a Linux process ({@link ring0.conformance.fuzz.NativeRunner} in a
 * {@link ring0.conformance.fuzz.Sandbox}) and must not die of SIGSEGV, SIGBUS,
 * SIGILL or SIGFPE. {@link ring0.conformance.fuzz.Fuzzer} runs both phases on
 * several threads; a campaign seed and a mutant index rebuild any mutant.
 *
 * <p>Entry points: {@link ring0.conformance.fuzz.MutationFuzzTest} (CI-sized)
 * and {@link ring0.conformance.fuzz.MutationCampaign} (long runs, replay).
 */
package ring0.conformance.fuzz;
