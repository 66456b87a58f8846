package ring0.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import ring0.verify.Checker;
import ring0.verify.IllTyped;
import ring0.verify.Verified;

/** {@code ring0 check}: runs the trusted checker on an executable and reports the verdict. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Verify that an executable's machine code is safe to run in kernel mode.",
        description = {
            "%nThe checker reads only the file's bytes: it decodes .text with the strict decoder, reads "
                + "the type annotations in .ring0.types, and checks every instruction against them "
                + "(memory safety, control flow, kernel calls through typed imports only, no faults, "
                + "a poll at every label). See docs/types.md.",
            "%nOn success it prints 'verified: N instructions, M labels, T ms'. On rejection it prints "
                + "where (address, label+offset), the instruction, what is wrong, and expected versus found.",
        })
final class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the executable to check")
    Path file;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Override
    public Integer call() throws CliException {
        byte[] bytes = FileIo.readBytes(file);
        String name = FileIo.fileName(file);
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try {
            Verified v = Checker.check(bytes, name);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (json) {
                out.printf("{\"verified\":true,\"file\":%s,\"instructions\":%d,\"labels\":%d,\"ms\":%.3f}%n",
                        Json.string(file.toString()), v.instructions(), v.labelCount(), ms);
            } else {
                out.printf("verified: %d instructions, %d labels, %.1f ms%n", v.instructions(), v.labelCount(), ms);
            }
            return ExitCode.OK;
        } catch (IllTyped e) {
            if (json) {
                out.println("{\"verified\":false,\"rejection\":" + e.rejection().toJson() + "}");
            } else {
                spec.commandLine().getErr().println(e.rejection());
            }
            return ExitCode.REJECTED;
        }
    }
}
