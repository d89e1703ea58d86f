-- Resolved places with coordinates, most mentioned first (analytics.places; absent before the geo columns).
SELECT place, place_kind, country_code, latitude, longitude, articles, mentions
FROM analytics.places
WHERE latitude IS NOT NULL AND longitude IS NOT NULL
ORDER BY mentions DESC, articles DESC, place
LIMIT 400;
