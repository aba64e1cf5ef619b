package io.crmkpi.jdbc.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmkpi.jdbc.Driver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The DBeaver driver definition users import names this driver, a URL it accepts, and the built jar. */
class DbeaverDriverDefinitionTest {

  @Test
  void definitionMatchesTheDriverAndTheJar() throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Path.of("..", "docs", "connecting", "dbeaver-drivers.xml").toFile());
    Element provider = (Element) doc.getDocumentElement().getElementsByTagName("provider").item(0);
    assertEquals("generic", provider.getAttribute("id"));
    Element driver = (Element) provider.getElementsByTagName("driver").item(0);
    assertEquals(Driver.class.getName(), driver.getAttribute("class"));
    assertEquals("true", driver.getAttribute("custom"));
    assertEquals("", driver.getAttribute("port"), "no default port: there is no server");
    String template = driver.getAttribute("url");
    assertEquals("jdbc:crmkpi:{database}", template);
    Driver d = new Driver();
    for (String database : new String[] {"demo", "files:/home/me/exports", "hubspot"}) {
      assertTrue(d.acceptsURL(template.replace("{database}", database)), database);
    }
    Element library = (Element) driver.getElementsByTagName("library").item(0);
    assertEquals("jar", library.getAttribute("type"));
    assertTrue(library.getAttribute("path").endsWith("/crmkpi.jar"), "the shaded jar's name (finalName crmkpi)");
    Map<String, String> params = new HashMap<>();
    NodeList p = driver.getElementsByTagName("parameter");
    for (int i = 0; i < p.getLength(); i++) {
      Element e = (Element) p.item(i);
      params.put(e.getAttribute("name"), e.getAttribute("value"));
    }
    // what the metadata really offers: keys yes, indexes and stored code no
    assertEquals(Map.of("omit-catalog", "true", "supports-references", "true", "supports-indexes", "false",
        "supports-stored-code", "false"), params);
  }
}
