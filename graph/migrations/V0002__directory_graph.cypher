// Services, locations, areas, tags and reference-data bookkeeping.
CREATE CONSTRAINT service_id IF NOT EXISTS
FOR (s:Service) REQUIRE s.id IS UNIQUE;

CREATE CONSTRAINT location_id IF NOT EXISTS
FOR (l:Location) REQUIRE l.id IS UNIQUE;

CREATE CONSTRAINT area_code IF NOT EXISTS
FOR (a:Area) REQUIRE a.code IS UNIQUE;

CREATE CONSTRAINT tag_code IF NOT EXISTS
FOR (t:Tag) REQUIRE t.code IS UNIQUE;

CREATE CONSTRAINT reference_data_name IF NOT EXISTS
FOR (r:ReferenceData) REQUIRE r.name IS UNIQUE;

// Search entry points: area, distance, name order.
CREATE INDEX location_area_code IF NOT EXISTS
FOR (l:Location) ON (l.areaCode);

CREATE POINT INDEX location_point IF NOT EXISTS
FOR (l:Location) ON (l.point);

CREATE INDEX service_name IF NOT EXISTS
FOR (s:Service) ON (s.name);

CREATE INDEX tag_kind IF NOT EXISTS
FOR (t:Tag) ON (t.kind);

// Full-text search that works for Japanese: the CJK analyser indexes character bigrams.
CREATE FULLTEXT INDEX service_text IF NOT EXISTS
FOR (s:Service) ON EACH [s.name, s.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};

CREATE FULLTEXT INDEX organisation_text IF NOT EXISTS
FOR (o:Organisation) ON EACH [o.name, o.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
