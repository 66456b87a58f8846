package ring0.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.asm.Diagnostic;
import ring0.asm.ElfWriter;
import ring0.asm.Program;

/** {@code ring0 as}: assembles a {@code .tal} source file into an ELF64 executable for Linux. */
@Command(
        name = "as",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Assemble a .tal source file into an x86-64 ELF executable.",
        description = {
            "%nThe executable runs directly on Linux: its entry stub connects the program's kernel "
                + "imports to Linux system calls, through the syscall instruction (RING0_GATE=syscall, "
                + "the default) or int 0x80 (RING0_GATE=int80).",
            "%nErrors go to stderr as FILE:LINE:COLUMN: error: MESSAGE, each followed by the source "
                + "line; nothing is written then.",
        })
final class AsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the assembly source, e.g. examples/hello.tal")
    Path source;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "the executable to write (default: FILE without its .tal extension)")
    Path output;

    @Option(names = "--untyped",
            description = "assemble without type annotations (no .ring0.types section): runs on Linux, "
                    + "but the checker and 'ring0 run' refuse it")
    boolean untyped;

    @Override
    public Integer call() throws CliException {
        String text = FileIo.readText(source);
        Path out = output != null ? output : defaultOutput(source);
        Program program;
        try {
            program = Assembler.assemble(text, source.toString(), untyped);
        } catch (AsmException e) {
            report(e.diagnostics(), text, spec.commandLine().getErr());
            return ExitCode.REJECTED;
        }
        FileIo.writeExecutable(out, ElfWriter.write(program));
        return ExitCode.OK;
    }

    /** {@code dir/name.tal} becomes {@code dir/name}; other names need {@code -o}. */
    private static Path defaultOutput(Path source) throws CliException {
        String name = source.getFileName() == null ? "" : source.getFileName().toString();
        if (!name.endsWith(".tal") || name.length() == ".tal".length()) {
            throw CliException.usage("cannot derive an output name from '" + source + "' (no .tal extension): use -o OUT");
        }
        return source.resolveSibling(name.substring(0, name.length() - ".tal".length()));
    }

    /** Prints each diagnostic, followed by its source line and a caret under the column. */
    static void report(List<Diagnostic> diagnostics, String text, PrintWriter err) {
        String[] lines = text.split("\r?\n", -1);
        for (Diagnostic d : diagnostics) {
            err.println(d);
            if (d.line() < 1 || d.line() > lines.length) continue;
            String line = lines[d.line() - 1];
            err.println("    " + line);
            err.println("    " + caretPrefix(line, d.column()) + "^");
        }
        int n = diagnostics.size();
        err.println(n + (n == 1 ? " error" : " errors"));
    }

    /** Blanks up to the 1-based {@code column}, keeping tabs so the caret lines up. */
    private static String caretPrefix(String line, int column) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < column - 1; i++) b.append(i < line.length() && line.charAt(i) == '\t' ? '\t' : ' ');
        return b.toString();
    }
}
