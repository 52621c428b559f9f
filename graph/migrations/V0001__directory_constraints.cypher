// Identity and lookup paths of the directory. Ids are UUIDs made by the application.
CREATE CONSTRAINT organisation_id IF NOT EXISTS
FOR (o:Organisation) REQUIRE o.id IS UNIQUE;

// organisations(kind, areaCode) filters and the keyset order (name, id).
CREATE INDEX organisation_kind IF NOT EXISTS
FOR (o:Organisation) ON (o.kind);

CREATE INDEX organisation_area_code IF NOT EXISTS
FOR (o:Organisation) ON (o.areaCode);

CREATE INDEX organisation_name IF NOT EXISTS
FOR (o:Organisation) ON (o.name);
