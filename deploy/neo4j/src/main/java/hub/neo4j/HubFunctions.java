package hub.neo4j;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.UserFunction;

/**
 * Cypher functions the application needs that Neo4j does not ship. Registered by the
 * launcher itself, so no plugin folder or APOC download is involved.
 */
public final class HubFunctions {

    /**
     * The audit log's hash, computed inside a statement: a read that audits many subjects
     * at once (an inbox page) extends each subject's chain in the same statement, so the
     * hash must be computable in Cypher. graph/audit_log.py computes the same in Python.
     */
    @UserFunction("hub.sha256")
    @Description("hub.sha256(text) - lowercase hex SHA-256 of the UTF-8 bytes of text; null for null")
    public String sha256(@Name("text") String text) {
        if (text == null) {
            return null;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
