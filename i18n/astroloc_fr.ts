<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>AstroLocDock</name>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="30"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="37"/>
        <source>Locate</source>
        <translation>Localiser</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="38"/>
        <source>Review</source>
        <translation>Revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="46"/>
        <source>Index coverage</source>
        <translation>Couverture de l'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="48"/>
        <source>Show the tiles of the chosen index on the map (layer &apos;Index coverage&apos;)</source>
        <translation>Afficher sur la carte les tuiles de l'index choisi (couche « Couverture de l'index »)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="55"/>
        <source>Build index from layer…</source>
        <translation>Construire un index depuis une couche…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/dock.py" line="56"/>
        <source>Build a tile index from an XYZ, WMTS, WMS or file layer over an area</source>
        <translation>Construire un index de tuiles sur une zone à partir d'une couche XYZ, WMTS, WMS ou fichier</translation>
    </message>
</context>
<context>
    <name>AstroLocPlugin</name>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="122"/>
        <source>AstroLoc panel</source>
        <translation>Panneau AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="124"/>
        <source>Locate photos…</source>
        <translation>Localiser des photos…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/plugin.py" line="130"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
</context>
<context>
    <name>AstroLocProcessing</name>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="37"/>
        <source>Build tile index</source>
        <translation>Construire un index de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="40"/>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="46"/>
        <source>Tile and embed georeferenced rasters into a new AstroLoc tile index.</source>
        <translation>Découpe en tuiles des rasters géoréférencés et calcule leurs descripteurs dans un nouvel index de tuiles AstroLoc.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="77"/>
        <source>Raster sources</source>
        <translation>Sources raster</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="85"/>
        <source>Folder of rasters</source>
        <translation>Dossier de rasters</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="93"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="96"/>
        <source>Tile size</source>
        <translation>Taille de tuile</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="105"/>
        <source>Scales</source>
        <translation>Échelles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/engine.py" line="17"/>
        <source>Engine Python</source>
        <translation>Python du moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="111"/>
        <source>Index folder</source>
        <translation>Dossier de l'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="116"/>
        <source>Tiles</source>
        <translation>Tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="117"/>
        <source>Index coverage</source>
        <translation>Couverture de l'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="133"/>
        <source>The folder {0} does not exist</source>
        <translation>Le dossier {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="138"/>
        <source>No raster sources: give raster layers or a folder of rasters</source>
        <translation>Aucune source raster : indiquez des couches raster ou un dossier de rasters</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="162"/>
        <source>Indexing {0} raster(s) into {1}</source>
        <translation>Indexation de {0} raster(s) dans {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="26"/>
        <source>Export confirmed footprints</source>
        <translation>Exporter les emprises confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="29"/>
        <source>Review</source>
        <translation>Revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="175"/>
        <source>Review session</source>
        <translation>Session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="71"/>
        <source>Also write GeoJSON</source>
        <translation>Écrire aussi du GeoJSON</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="76"/>
        <source>Also write CSV</source>
        <translation>Écrire aussi du CSV</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="79"/>
        <source>Confirmed footprints</source>
        <translation>Emprises confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="86"/>
        <source>Footprints exported</source>
        <translation>Emprises exportées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="94"/>
        <source>The output must be a GeoPackage (.gpkg): {0}</source>
        <translation>La sortie doit être un GeoPackage (.gpkg) : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="419"/>
        <source>{0}: {1}</source>
        <translation>{0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_export.py" line="108"/>
        <source>{0} confirmed footprint(s) exported</source>
        <translation>{0} emprise(s) confirmée(s) exportée(s)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="40"/>
        <source>The photo folder {0} does not exist</source>
        <translation>Le dossier de photos {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="63"/>
        <source>Localize photos</source>
        <translation>Localiser des photos</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="66"/>
        <source>Localization</source>
        <translation>Localisation</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="72"/>
        <source>Find where photos were taken and write the results into a review session.</source>
        <translation>Trouve où les photos ont été prises et écrit les résultats dans une session de revue.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="123"/>
        <source>Photo folder</source>
        <translation>Dossier de photos</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="131"/>
        <source>Photo files</source>
        <translation>Fichiers photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="144"/>
        <source>Tile index</source>
        <translation>Index de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="149"/>
        <source>Candidates</source>
        <translation>Candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="160"/>
        <source>Reviewer</source>
        <translation>Relecteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="175"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="182"/>
        <source>Photos located</source>
        <translation>Photos localisées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="185"/>
        <source>Photos not found</source>
        <translation>Photos non trouvées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="188"/>
        <source>Photos failed</source>
        <translation>Photos en échec</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="313"/>
        <source>No photos: give a photo folder or photo files</source>
        <translation>Aucune photo : indiquez un dossier de photos ou des fichiers photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="318"/>
        <source>The index folder {0} does not exist</source>
        <translation>Le dossier d'index {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/engine.py" line="57"/>
        <source>Starting the engine…</source>
        <translation>Démarrage du moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="409"/>
        <source>[{0}/{1}] {2}</source>
        <translation>[{0}/{1}] {2}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="382"/>
        <source>{0} does not exist; skipped</source>
        <translation>{0} n'existe pas ; ignoré</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="427"/>
        <source>{0}: {1}, written to the session</source>
        <translation>{0} : {1}, écrit dans la session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="427"/>
        <source>located</source>
        <translation>localisée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="427"/>
        <source>not found</source>
        <translation>non trouvée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="354"/>
        <source>Cancelled; {0} result(s) were written to the session</source>
        <translation>Annulé ; {0} résultat(s) ont été écrits dans la session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="172"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/provider.py" line="21"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/provider.py" line="24"/>
        <source>AstroLoc: find where photos were taken</source>
        <translation>AstroLoc : trouver où les photos ont été prises</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="215"/>
        <source>Max off-nadir angle (degrees)</source>
        <translation>Angle maximal hors nadir (degrés)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="226"/>
        <source>TLE files (*.tle *.txt);;All files (*)</source>
        <translation>Fichiers TLE (*.tle *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="232"/>
        <source>CSV files (*.csv *.txt *.tsv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.txt *.tsv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="267"/>
        <source>a point and its radius go together</source>
        <translation>un point et son rayon vont ensemble</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="213"/>
        <source>Camera nadir (lat,lon)</source>
        <translation>Nadir de la caméra (lat,lon)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="214"/>
        <source>Camera altitude km</source>
        <translation>Altitude de la caméra km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="216"/>
        <source>Near a point (lat,lon)</source>
        <translation>Près d'un point (lat,lon)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="217"/>
        <source>Radius km</source>
        <translation>Rayon km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="218"/>
        <source>Area of interest (polygon layer)</source>
        <translation>Zone d'intérêt (couche de polygones)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="226"/>
        <source>TLE file</source>
        <translation>Fichier TLE</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="231"/>
        <source>Capture time (UTC)</source>
        <translation>Date de prise de vue (UTC)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="232"/>
        <source>NASA frame catalogue (CSV)</source>
        <translation>Catalogue de clichés NASA (CSV)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="49"/>
        <source>Astronaut photos (zooms 9-11, footprints of 20-200 km)</source>
        <translation>Photos d'astronautes (zooms 9-11, emprises de 20 à 200 km)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="50"/>
        <source>Aerial and drone photos (zooms 15-17, footprints of 0.3-3 km)</source>
        <translation>Photos aériennes et de drone (zooms 15-17, emprises de 0,3 à 3 km)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="51"/>
        <source>Custom (lowest and highest zoom below)</source>
        <translation>Personnalisé (zooms minimal et maximal ci-dessous)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="57"/>
        <source>{0:.0f} s</source>
        <translation>{0:.0f} s</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="59"/>
        <source>{0:.0f} min</source>
        <translation>{0:.0f} min</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="61"/>
        <source>{0:.1f} h</source>
        <translation>{0:.1f} h</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="62"/>
        <source>{0:.0f} days</source>
        <translation>{0:.0f} jours</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="107"/>
        <source>Build index from layer</source>
        <translation>Construire un index depuis une couche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="171"/>
        <source>Tiles fetched</source>
        <translation>Tuiles téléchargées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="183"/>
        <source>Raster layer</source>
        <translation>Couche raster</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="186"/>
        <source>Area (extent)</source>
        <translation>Zone (emprise)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="191"/>
        <source>Area (polygon layer)</source>
        <translation>Zone (couche de polygones)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="199"/>
        <source>Zoom levels</source>
        <translation>Niveaux de zoom</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="204"/>
        <source>Lowest zoom (custom)</source>
        <translation>Zoom minimal (personnalisé)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="204"/>
        <source>Highest zoom (custom)</source>
        <translation>Zoom maximal (personnalisé)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="215"/>
        <source>Year or label</source>
        <translation>Année ou libellé</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="215"/>
        <source>Attribution</source>
        <translation>Attribution</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="215"/>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="221"/>
        <source>Tile cache</source>
        <translation>Cache de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="221"/>
        <source>MBTiles (*.mbtiles)</source>
        <translation>MBTiles (*.mbtiles)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="230"/>
        <source>Requests per second</source>
        <translation>Requêtes par seconde</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="239"/>
        <source>Fetch more than 10,000 tiles</source>
        <translation>Télécharger plus de 10 000 tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="246"/>
        <source>Add to the index in the folder</source>
        <translation>Ajouter à l'index du dossier</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="259"/>
        <source>No raster layer given</source>
        <translation>Aucune couche raster indiquée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="263"/>
        <source>Layer {0}: {1}. Use an XYZ, WMTS, WMS or raster file layer.</source>
        <translation>Couche {0} : {1}. Utilisez une couche XYZ, WMTS, WMS ou une couche raster issue d'un fichier.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="333"/>
        <source>Service build: {0}</source>
        <translation>Construction depuis le service : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="348"/>
        <source>Fetched {0} tiles ({1} already cached) into {2}</source>
        <translation>{0} tuiles téléchargées ({1} déjà en cache) dans {2}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="363"/>
        <source>Custom zoom levels: give the lowest and the highest zoom</source>
        <translation>Niveaux de zoom personnalisés : indiquez le zoom minimal et le zoom maximal</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="370"/>
        <source>Lowest zoom {0} is above highest zoom {1}</source>
        <translation>Le zoom minimal {0} est supérieur au zoom maximal {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="391"/>
        <source>The extent is empty or outside the Web-Mercator world</source>
        <translation>L'emprise est vide ou en dehors du monde Web Mercator</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_from_layer.py" line="408"/>
        <source>The polygon layer has no polygon</source>
        <translation>La couche de polygones ne contient aucun polygone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_build_index.py" line="157"/>
        <source>Scales: &apos;{0}&apos; are not whole numbers</source>
        <translation>Échelles : « {0} » ne sont pas des nombres entiers</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="136"/>
        <source>Photos (pick several)</source>
        <translation>Photos (choix multiple)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="191"/>
        <source>Photos skipped (already in the session)</source>
        <translation>Photos ignorées (déjà dans la session)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/processing/alg_localize.py" line="166"/>
        <source>Kind of photo</source>
        <translation>Type de photo</translation>
    </message>
</context>
<context>
    <name>BatchQueue</name>
    <message>
        <location filename="../astroloc_qgis/locate/batch.py" line="48"/>
        <source>{} s</source>
        <translation>{} s</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch.py" line="50"/>
        <source>{} min</source>
        <translation>{} min</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch.py" line="51"/>
        <source>{:.1f} h</source>
        <translation>{:.1f} h</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch.py" line="117"/>
        <source>AstroLoc: forgetting the interrupted batch</source>
        <translation>AstroLoc : abandon du lot interrompu</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch.py" line="222"/>
        <source>The batch stopped: {}</source>
        <translation>Le lot s'est arrêté : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch.py" line="225"/>
        <source>Batch: {} of {} photos done, {} failed, {} cancelled.</source>
        <translation>Lot : {} photo(s) sur {} traitée(s), {} en échec, {} annulée(s).</translation>
    </message>
</context>
<context>
    <name>BatchTask</name>
    <message>
        <location filename="../astroloc_qgis/locate/batch_task.py" line="38"/>
        <source>AstroLoc: batch of photos</source>
        <translation>AstroLoc : lot de photos</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_task.py" line="161"/>
        <source>the result could not be written to the review session</source>
        <translation>le résultat n'a pas pu être écrit dans la session de revue</translation>
    </message>
</context>
<context>
    <name>BatchView</name>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="32"/>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="33"/>
        <source>Locating…</source>
        <translation>Localisation…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="34"/>
        <source>Cancelled</source>
        <translation>Annulée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="35"/>
        <source>No match</source>
        <translation>Aucune correspondance</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="37"/>
        <source>Located</source>
        <translation>Localisée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="40"/>
        <source>Failed: {}</source>
        <translation>Échec : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="46"/>
        <source>{} of {} photos done</source>
        <translation>{} photo(s) sur {} traitée(s)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="48"/>
        <source>, {} failed</source>
        <translation>, {} en échec</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="50"/>
        <source>, {} cancelled</source>
        <translation>, {} annulée(s)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="53"/>
        <source> · paused</source>
        <translation> · en pause</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="55"/>
        <source> · about {} left</source>
        <translation> · encore {} environ</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="130"/>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="85"/>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="130"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="104"/>
        <source>Cancel batch</source>
        <translation>Annuler le lot</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="109"/>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="109"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/batch_view.py" line="118"/>
        <source>An interrupted batch left {} photo(s) of this session not done.</source>
        <translation>Un lot interrompu a laissé {} photo(s) de cette session non traitée(s).</translation>
    </message>
</context>
<context>
    <name>EngineEnv</name>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="35"/>
        <source>No system Python 3 found to create the engine environment.</source>
        <translation>Aucun Python 3 système trouvé pour créer l'environnement du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="58"/>
        <source>Creating the AstroLoc engine environment</source>
        <translation>Création de l'environnement du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="70"/>
        <source>requirements/engine.txt is missing from the plugin; reinstall the plugin.</source>
        <translation>Il manque requirements/engine.txt dans l'extension ; réinstallez l'extension.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="112"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup.py" line="115"/>
        <source>The command failed (exit code {}): {}</source>
        <translation>La commande a échoué (code de sortie {}) : {}</translation>
    </message>
</context>
<context>
    <name>EnvSetupDialog</name>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="24"/>
        <source>Create the AstroLoc engine environment</source>
        <translation>Créer l'environnement du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="28"/>
        <source>the Python Package Index (internet)</source>
        <translation>le Python Package Index (internet)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="60"/>
        <source>Done: the engine environment is ready.</source>
        <translation>Terminé : l'environnement du moteur est prêt.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="66"/>
        <source>Failed: {}</source>
        <translation>Échec : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="66"/>
        <source>see the log above</source>
        <translation>voir le journal ci-dessus</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/setup_dialog.py" line="29"/>
        <source>Folder: {}
Packages from: {}
This installs about 1.4 GB of packages and takes a few minutes.</source>
        <translation>Dossier : {}
Paquets depuis : {}
Cela installe environ 1,4 Go de paquets et prend quelques minutes.</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="65"/>
        <source>Session file not found: {0}</source>
        <translation>Fichier de session introuvable : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="86"/>
        <source>Cannot read the session {0}: {1}</source>
        <translation>Impossible de lire la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="133"/>
        <source>Unknown export format(s): {0}</source>
        <translation>Format(s) d'export inconnu(s) : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="138"/>
        <source>Cannot export: the folder {0} does not exist</source>
        <translation>Export impossible : le dossier {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="140"/>
        <source>Cannot export: the folder {0} is not writable</source>
        <translation>Export impossible : le dossier {0} n'est pas accessible en écriture</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="144"/>
        <source>Cannot export over the session file itself</source>
        <translation>Impossible d'exporter par-dessus le fichier de session lui-même</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="147"/>
        <source>Cannot export: {0} already exists</source>
        <translation>Export impossible : {0} existe déjà</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/export.py" line="196"/>
        <source>Cannot write {0}: {1}</source>
        <translation>Impossible d'écrire {0} : {1}</translation>
    </message>
</context>
<context>
    <name>LocalizationController</name>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="83"/>
        <source>AstroLoc</source>
        <translation>AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="107"/>
        <source>Set up engine…</source>
        <translation>Installer le moteur…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="144"/>
        <source>{} does not exist.</source>
        <translation>{} n'existe pas.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="289"/>
        <source>Locating {}…</source>
        <translation>Localisation de {}…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="299"/>
        <source> ({} more waiting)</source>
        <translation> ({} autre(s) en attente)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="316"/>
        <source>Cancelled {}.</source>
        <translation>{} annulée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="319"/>
        <source>Could not locate {}: {}</source>
        <translation>Impossible de localiser {} : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="319"/>
        <source>no result</source>
        <translation>aucun résultat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="332"/>
        <source>Could not draw the result for {}: {}</source>
        <translation>Impossible d'afficher le résultat de {} : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="338"/>
        <source>Could not draw the result for {}.</source>
        <translation>Impossible d'afficher le résultat de {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="343"/>
        <source>No match for {} in this index.</source>
        <translation>Aucune correspondance pour {} dans cet index.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="440"/>
        <source>Located {}.</source>
        <translation>{} localisée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="409"/>
        <source>Index coverage — {}</source>
        <translation>Couverture de l'index — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="415"/>
        <source>Cannot read {}.</source>
        <translation>Impossible de lire {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="436"/>
        <source>No trustworthy footprint for {}: {}. The candidates are drawn.</source>
        <translation>Aucune emprise fiable pour {} : {}. Les candidats sont affichés.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="438"/>
        <source>nothing verified</source>
        <translation>rien n’a été vérifié</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="448"/>
        <source>{}% of the photo is cloud and was left out of the search.</source>
        <translation>{} % de la photo est nuageuse et a été exclue de la recherche.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="263"/>
        <source>Search area: {}</source>
        <translation>Zone de recherche : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="443"/>
        <source>Searched {} ({} tiles).</source>
        <translation>Recherche dans {} ({} tuiles).</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="100"/>
        <source>Choose index…</source>
        <translation>Choisir un index…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="215"/>
        <source>No photos (JPEG, PNG, TIFF) in {}.</source>
        <translation>Aucune photo (JPEG, PNG, TIFF) dans {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="222"/>
        <source>A batch needs a review session: open one in the Review tab.</source>
        <translation>Un lot nécessite une session de revue : ouvrez-en une dans l'onglet Revue.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="278"/>
        <source>Batch: locating {}…</source>
        <translation>Lot : localisation de {}…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/controller.py" line="282"/>
        <source>Batch: the results are in the Review tab.</source>
        <translation>Lot : les résultats sont dans l'onglet Revue.</translation>
    </message>
</context>
<context>
    <name>LocatePanel</name>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="151"/>
        <source>Drop photos here
or click to choose files</source>
        <translation>Déposez des photos ici
ou cliquez pour choisir des fichiers</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="178"/>
        <source>Index</source>
        <translation>Index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="183"/>
        <source>Tile index folder (recent indexes first)</source>
        <translation>Dossier de l'index de tuiles (index récents en premier)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="188"/>
        <source>Choose an index folder</source>
        <translation>Choisir un dossier d'index</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="519"/>
        <source>Ready.</source>
        <translation>Prêt.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="527"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="596"/>
        <source>Photo opacity</source>
        <translation>Opacité de la photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="604"/>
        <source>AstroLoc settings</source>
        <translation>Paramètres d'AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="618"/>
        <source>Choose photos to locate</source>
        <translation>Choisir les photos à localiser</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="618"/>
        <source>Images ({})</source>
        <translation>Images ({})</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="618"/>
        <source>All files (*)</source>
        <translation>Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="630"/>
        <source>{} photo(s) waiting</source>
        <translation>{} photo(s) en attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="641"/>
        <source>(no index chosen)</source>
        <translation>(aucun index choisi)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="653"/>
        <source>Choose a tile index folder</source>
        <translation>Choisir un dossier d'index de tuiles</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="677"/>
        <source>No photo yet.</source>
        <translation>Pas encore de photo.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="690"/>
        <source>no preview</source>
        <translation>pas d'aperçu</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="697"/>
        <source>AstroLoc: photo preview</source>
        <translation>AstroLoc : aperçu de la photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="733"/>
        <source>Rank after verification: candidates are re-ordered by the number of inliers their match with the photo kept</source>
        <translation>Rang après vérification : les candidats sont reclassés selon le nombre de points valides (inliers) conservés par leur appariement avec la photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="740"/>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="740"/>
        <source>The refined footprint (the answer) first, then the candidates</source>
        <translation>D'abord l'emprise affinée (la réponse), puis les candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="741"/>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="741"/>
        <source>Probability that the result is right. Footprint: after refinement (accepted from 0.50). Candidate: its coarse verification match only, so usually much lower</source>
        <translation>Probabilité que le résultat soit juste. Emprise : après affinage (acceptée à partir de 0,50). Candidat : d'après son seul appariement grossier de vérification, donc en général bien plus faible</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="749"/>
        <source>Inliers</source>
        <translation>Points valides</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="749"/>
        <source>Matched points consistent with one homography (verification, or the refined footprint&apos;s last fit)</source>
        <translation>Points appariés cohérents avec une même homographie (vérification, ou dernier ajustement de l'emprise affinée)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="756"/>
        <source>Retrieval</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="756"/>
        <source>Retrieval similarity of the tile to the photo, before verification (higher is more similar); in brackets the rank the retrieval gave, when verification changed it</source>
        <translation>Similarité de la tuile avec la photo à la recherche, avant vérification (plus c'est élevé, plus elles se ressemblent) ; entre parenthèses, le rang donné par la recherche quand la vérification l'a changé</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="779"/>
        <source>Footprint</source>
        <translation>Emprise</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="792"/>
        <source>Refined from candidate #{}, method {}, reprojection error {} px</source>
        <translation>Affinée à partir du candidat n° {}, méthode {}, erreur de reprojection {} px</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="807"/>
        <source>Candidate</source>
        <translation>Candidat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="817"/>
        <source>tile {} of {}, scale {}, rotation {}°</source>
        <translation>tuile {} de {}, échelle {}, rotation {}°</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="227"/>
        <source>Search area</source>
        <translation>Zone de recherche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="230"/>
        <source>Anywhere</source>
        <translation>Partout</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="231"/>
        <source>Camera nadir</source>
        <translation>Nadir de la caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="232"/>
        <source>Near a point</source>
        <translation>Près d'un point</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="233"/>
        <source>Canvas extent</source>
        <translation>Emprise de la carte</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="234"/>
        <source>Polygons of a layer</source>
        <translation>Polygones d'une couche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="235"/>
        <source>Orbit (TLE file)</source>
        <translation>Orbite (fichier TLE)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="236"/>
        <source>NASA catalogue (ISS frames)</source>
        <translation>Catalogue NASA (clichés de l'ISS)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="240"/>
        <source>Only tiles of the index inside this area are searched; the area is drawn as the layer &apos;Search area&apos;</source>
        <translation>Seules les tuiles de l'index situées dans cette zone sont examinées ; la zone est dessinée dans la couche « Zone de recherche »</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="281"/>
        <source>file…</source>
        <translation>fichier…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="289"/>
        <source>The whole index is searched.</source>
        <translation>Tout l'index est examiné.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="293"/>
        <source>Nadir</source>
        <translation>Nadir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="315"/>
        <source>lat, lon</source>
        <translation>lat, lon</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="293"/>
        <source>The point on the ground straight below the camera at capture time (degrees)</source>
        <translation>Le point au sol à la verticale de la caméra au moment de la prise de vue (degrés)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="300"/>
        <source>Altitude km</source>
        <translation>Altitude km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="300"/>
        <source>Camera altitude in km, one value or a range (the ISS flies at 400-420 km)</source>
        <translation>Altitude de la caméra en km, une valeur ou un intervalle (l'ISS vole à 400-420 km)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="307"/>
        <source>Max off-nadir °</source>
        <translation>Hors nadir max. °</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="307"/>
        <source>optional: up to the horizon</source>
        <translation>facultatif : jusqu'à l'horizon</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="307"/>
        <source>Largest angle between the view and the vertical (degrees, optional)</source>
        <translation>Plus grand angle entre la visée et la verticale (degrés, facultatif)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="315"/>
        <source>Point</source>
        <translation>Point</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="315"/>
        <source>A position near the photo (degrees), e.g. a drone&apos;s or phone&apos;s GPS</source>
        <translation>Une position proche de la photo (degrés), par ex. le GPS d'un drone ou d'un téléphone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="322"/>
        <source>Radius km</source>
        <translation>Rayon km</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="322"/>
        <source>Search within this distance of the point</source>
        <translation>Chercher à cette distance du point au plus</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="329"/>
        <source>Use the photo&apos;s EXIF GPS when it has one</source>
        <translation>Utiliser le GPS EXIF de la photo quand elle en a un</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="334"/>
        <source>What the map shows when the photo is dropped.</source>
        <translation>Ce que montre la carte quand la photo est déposée.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="340"/>
        <source>A polygon layer of the project</source>
        <translation>Une couche de polygones du projet</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="342"/>
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="345"/>
        <source>Selected polygons only</source>
        <translation>Polygones sélectionnés seulement</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="350"/>
        <source>TLE file</source>
        <translation>Fichier TLE</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="350"/>
        <source>Two-line elements of the spacecraft; with the photo&apos;s capture time they give the nadir</source>
        <translation>Paramètres orbitaux (TLE) de l'engin spatial ; avec la date de prise de vue de la photo, ils donnent le nadir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="350"/>
        <source>TLE files (*.tle *.txt);;All files (*)</source>
        <translation>Fichiers TLE (*.tle *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="359"/>
        <source>Capture time</source>
        <translation>Prise de vue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="359"/>
        <source>from EXIF; or 2020-02-14 10:32:05</source>
        <translation>d'après l'EXIF ; ou 2020-02-14 10:32:05</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="359"/>
        <source>UTC date and time of the photo, when its EXIF has none (or is wrong)</source>
        <translation>Date et heure UTC de la photo, quand son EXIF n'en a pas (ou qu'elle est fausse)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="367"/>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="367"/>
        <source>A NASA-style CSV: frame id, nadir lat/lon, focal length. Photos named like ISS062-E-150758 take their nadir from it; others search everywhere</source>
        <translation>Un CSV à la manière de la NASA : identifiant du cliché, lat/lon du nadir, focale. Les photos nommées comme ISS062-E-150758 y prennent leur nadir ; les autres sont cherchées partout</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="367"/>
        <source>CSV files (*.csv *.txt *.tsv);;All files (*)</source>
        <translation>Fichiers CSV (*.csv *.txt *.tsv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="466"/>
        <source>no map canvas to take the extent from</source>
        <translation>aucune carte dont prendre l'emprise</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="548"/>
        <source>Compare</source>
        <translation>Comparer</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="549"/>
        <source>Blink (B)</source>
        <translation>Clignotement (B)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="550"/>
        <source>Show or hide the warped photo over the reference imagery (or press B on the map)</source>
        <translation>Afficher ou masquer la photo déformée par-dessus l'imagerie de référence (ou appuyez sur B sur la carte)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="555"/>
        <source>Swipe</source>
        <translation>Balayage</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="557"/>
        <source>The photo left of a line, the reference right of it: drag on the map or use the slider to move the line</source>
        <translation>La photo à gauche d'une ligne, la référence à droite : faites glisser sur la carte ou utilisez le curseur pour déplacer la ligne</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="569"/>
        <source>Where the swipe line is, across the map</source>
        <translation>Position de la ligne de balayage sur la largeur de la carte</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="203"/>
        <source>Kind of photo</source>
        <translation>Type de photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/panel.py" line="209"/>
        <source>How the photos dropped next are searched and what is drawn for them</source>
        <translation>Comment les prochaines photos déposées sont cherchées et ce qui est dessiné pour elles</translation>
    </message>
    <message>
        <source>Footprint confidence calibrated on {0} of your decisions</source>
        <translation>Confiance de l’emprise calibrée sur {0} de vos décisions</translation>
    </message>
    <message>
        <source>The index&apos;s footprint confidence was refitted on the confirmed and rejected footprints of a review session ({0})</source>
        <translation>La confiance des emprises de l’index a été réajustée sur les emprises confirmées et rejetées d’une session de revue ({0})</translation>
    </message>
</context>
<context>
    <name>LocateTask</name>
    <message>
        <location filename="../astroloc_qgis/locate/tasks.py" line="42"/>
        <source>AstroLoc: locating {}</source>
        <translation>AstroLoc : localisation de {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/tasks.py" line="60"/>
        <source>Starting the engine…</source>
        <translation>Démarrage du moteur…</translation>
    </message>
</context>
<context>
    <name>PhotoKind</name>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="50"/>
        <source>Automatic (from the EXIF)</source>
        <translation>Automatique (d'après l'EXIF)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="51"/>
        <source>Aerial or astronaut photo</source>
        <translation>Photo aérienne ou d'astronaute</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="52"/>
        <source>Drone photo</source>
        <translation>Photo de drone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="53"/>
        <source>Ground photo (rough GPS fix)</source>
        <translation>Photo au sol (position GPS approximative)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="54"/>
        <source>Historical film scan (grey)</source>
        <translation>Scan de film ancien (gris)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="55"/>
        <source>Satellite image (no metadata)</source>
        <translation>Image satellite (sans métadonnées)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="67"/>
        <source>Astronaut or aircraft photo: the whole index, an orbit or aircraft camera</source>
        <translation>Photo d'astronaute ou d'avion : tout l'index, une caméra en orbite ou en avion</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="73"/>
        <source>Taken on the ground near its GPS fix: position, heading and their uncertainty</source>
        <translation>Prise au sol près de sa position GPS : position, cap et leur incertitude</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="79"/>
        <source>Nadir image from orbit, any place and rotation: the footprint only, no camera</source>
        <translation>Image au nadir depuis l'orbite, lieu et rotation quelconques : l'emprise seule, sans caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="64"/>
        <source>Drone when the EXIF says so (maker, DJI tags, low GPS altitude), else aerial</source>
        <translation>Drone si l'EXIF le dit (fabricant, balises DJI, altitude GPS basse), sinon aérienne</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="70"/>
        <source>Searched round its EXIF GPS fix, which is drawn beside the estimated camera</source>
        <translation>Cherchée autour de sa position GPS EXIF, dessinée à côté de la caméra estimée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="76"/>
        <source>Old grey film scan: searched and matched in grey (a colour-only model refuses it)</source>
        <translation>Scan de film ancien en gris : cherché et apparié en gris (un modèle couleur seul le refuse)</translation>
    </message>
</context>
<context>
    <name>ResultLayers</name>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="188"/>
        <source>Candidates</source>
        <translation>Candidats</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="194"/>
        <source>Footprint</source>
        <translation>Emprise</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="200"/>
        <source>Camera</source>
        <translation>Caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="214"/>
        <source>Camera view</source>
        <translation>Vue de la caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="220"/>
        <source>Field of view</source>
        <translation>Champ de vision</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/map/overlay.py" line="119"/>
        <source>Photo (warped)</source>
        <translation>Photo (déformée)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="409"/>
        <source>AstroLoc — {}</source>
        <translation>AstroLoc — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="232"/>
        <source>Search area</source>
        <translation>Zone de recherche</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="292"/>
        <source>Reference frame</source>
        <translation>Cadre de la référence</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="387"/>
        <source>No reference imagery: the index source {} cannot be read on this machine.</source>
        <translation>Pas d'imagerie de référence : la source de l'index {} n'est pas lisible sur cette machine.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/map/reference.py" line="150"/>
        <source>Reference — {}</source>
        <translation>Référence — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/camera_marks.py" line="57"/>
        <source>EXIF GPS</source>
        <translation>GPS EXIF</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/camera_marks.py" line="57"/>
        <source>EXIF GPS: {} m from the camera</source>
        <translation>GPS EXIF : à {} m de la caméra</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/camera_marks.py" line="130"/>
        <source>Heading</source>
        <translation>Cap</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/camera_marks.py" line="133"/>
        <source>Position uncertainty</source>
        <translation>Incertitude de position</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/layers.py" line="255"/>
        <source>EXIF GPS position</source>
        <translation>Position GPS EXIF</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <location filename="../astroloc_qgis/review/controller.py" line="118"/>
        <source>This photo has no footprint: take a candidate with 1-9, or reject it</source>
        <translation>Cette photo n'a pas d'emprise : prenez un candidat avec 1-9, ou rejetez-la</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/controller.py" line="134"/>
        <source>There is no candidate {0} for this photo</source>
        <translation>Cette photo n'a pas de candidat {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/controller.py" line="169"/>
        <source>All pending decisions were written to the session</source>
        <translation>Toutes les décisions en attente ont été écrites dans la session</translation>
    </message>
</context>
<context>
    <name>ReviewMap</name>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="75"/>
        <source>current photo</source>
        <translation>photo courante</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="113"/>
        <source>Look lines</source>
        <translation>Lignes de visée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="113"/>
        <source>Cameras</source>
        <translation>Caméras</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="113"/>
        <source>Candidates (current photo)</source>
        <translation>Candidats (photo courante)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="113"/>
        <source>Footprints by status</source>
        <translation>Emprises par statut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="230"/>
        <source>Edit footprint — {0}</source>
        <translation>Modifier l'emprise — {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/map.py" line="111"/>
        <source>AstroLoc review</source>
        <translation>Revue AstroLoc</translation>
    </message>
</context>
<context>
    <name>ReviewMode</name>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="198"/>
        <source>Review</source>
        <translation>Revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="259"/>
        <source>This photo has no footprint to edit: take a candidate (1-9) first</source>
        <translation>Cette photo n'a pas d'emprise à modifier : prenez d'abord un candidat (1-9)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="272"/>
        <source>The edited footprint was not saved</source>
        <translation>L'emprise modifiée n'a pas été enregistrée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="247"/>
        <source>Nothing to {0}</source>
        <translation>Rien à {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="247"/>
        <source>undo</source>
        <translation>annuler</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="247"/>
        <source>redo</source>
        <translation>rétablir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="319"/>
        <source>AstroLoc review</source>
        <translation>Revue AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="330"/>
        <source>All pending decisions were written to the session</source>
        <translation>Toutes les décisions en attente ont été écrites dans la session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="341"/>
        <source>Open review session</source>
        <translation>Ouvrir une session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="351"/>
        <source>Review session (*.gpkg)</source>
        <translation>Session de revue (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="351"/>
        <source>New review session</source>
        <translation>Nouvelle session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="361"/>
        <source>{0} exists: use Open to continue that session</source>
        <translation>{0} existe : utilisez Ouvrir pour poursuivre cette session</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="373"/>
        <source>Export confirmed footprints</source>
        <translation>Exporter les emprises confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="371"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="391"/>
        <source>{0} footprint(s) exported to {1}</source>
        <translation>{0} emprise(s) exportée(s) vers {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="139"/>
        <source>AstroLoc: creating the review session</source>
        <translation>AstroLoc : création de la session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="198"/>
        <source>Review ({0} pending)</source>
        <translation>Revue ({0} en attente)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/mode.py" line="372"/>
        <source>GeoPackage, plus GeoJSON and CSV beside it (*.gpkg)</source>
        <translation>GeoPackage, avec GeoJSON et CSV à côté (*.gpkg)</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="56"/>
        <source>No review session open.</source>
        <translation>Aucune session de revue ouverte.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="61"/>
        <source>Open…</source>
        <translation>Ouvrir…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="62"/>
        <source>Open a review session (GeoPackage)</source>
        <translation>Ouvrir une session de revue (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="66"/>
        <source>New…</source>
        <translation>Nouvelle…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="67"/>
        <source>Create a new review session</source>
        <translation>Créer une nouvelle session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="80"/>
        <source>Order</source>
        <translation>Ordre</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="82"/>
        <source>Lowest confidence first</source>
        <translation>Confiance la plus faible d'abord</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="83"/>
        <source>Highest confidence first</source>
        <translation>Confiance la plus élevée d'abord</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="92"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="92"/>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="92"/>
        <source>Confidence</source>
        <translation>Confiance</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="109"/>
        <source>Confirm</source>
        <translation>Confirmer</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="109"/>
        <source>Reject</source>
        <translation>Rejeter</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="109"/>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="117"/>
        <source>Previous</source>
        <translation>Précédente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="117"/>
        <source>Next</source>
        <translation>Suivante</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="122"/>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="123"/>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="131"/>
        <source>Candidate</source>
        <translation>Candidat</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="136"/>
        <source>Take candidate {0} as the answer (key {0})</source>
        <translation>Prendre le candidat {0} comme réponse (touche {0})</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="147"/>
        <source>Retry writing</source>
        <translation>Réessayer l'écriture</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="157"/>
        <source>Keys on the map: A confirm · R reject · E edit (E/Enter save, Esc cancel) · 1-9 candidate · N/P next/previous · Ctrl+Z/Ctrl+Shift+Z undo/redo</source>
        <translation>Touches sur la carte : A confirmer · R rejeter · E modifier (E/Entrée enregistrer, Échap annuler) · 1-9 candidat · N/P suivante/précédente · Ctrl+Z/Ctrl+Maj+Z annuler/rétablir</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="168"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="169"/>
        <source>Export confirmed and edited footprints (GeoPackage)</source>
        <translation>Exporter les emprises confirmées et modifiées (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="176"/>
        <source>Key {0} when the map has focus</source>
        <translation>Touche {0} quand la carte a le focus</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="184"/>
        <source>Session: {0}</source>
        <translation>Session : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="187"/>
        <source>No review session open: results are recorded in a new session as they arrive, or open one.</source>
        <translation>Aucune session de revue ouverte : les résultats sont enregistrés dans une nouvelle session à mesure qu'ils arrivent, ou ouvrez-en une.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="241"/>
        <source>Nothing to review.</source>
        <translation>Rien à revoir.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="246"/>
        <source>confidence {0}</source>
        <translation>confiance {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="249"/>
        <source>footprint: {0}, {1:.1f} km²</source>
        <translation>emprise : {0}, {1:.1f} km²</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="255"/>
        <source>no footprint: take a candidate (1-{0}) or reject</source>
        <translation>pas d'emprise : prenez un candidat (1-{0}) ou rejetez</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="275"/>
        <source>Save edit (E)</source>
        <translation>Enregistrer (E)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/review/panel.py" line="275"/>
        <source>Edit (E)</source>
        <translation>Modifier (E)</translation>
    </message>
    <message>
        <source>Adapt anyway</source>
        <translation>Adapter quand même</translation>
    </message>
    <message>
        <source>Adapt although the check on your confirmed photos says it does not help them</source>
        <translation>Adapter bien que la vérification sur vos photos confirmées dise que cela ne les aide pas</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stop improving the index (the index stays as it is)</source>
        <translation>Arrêter l’amélioration de l’index (l’index reste tel quel)</translation>
    </message>
    <message>
        <source>Open a review session first</source>
        <translation>Ouvrez d’abord une session de revue</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Learn from the confirmed and edited footprints of this session: an adapted copy of the chosen index, which the Locate tab then uses (the current index is kept)</source>
        <translation>Apprendre des emprises confirmées et modifiées de cette session : une copie adaptée de l’index choisi, que l’onglet Localiser utilise ensuite (l’index actuel est conservé)</translation>
    </message>
    <message>
        <source>Use the index before the adaptation again (the adapted one stays in the index list)</source>
        <translation>Reprendre l’index d’avant l’adaptation (l’index adapté reste dans la liste des index)</translation>
    </message>
    <message>
        <source>Improve the index with {0} confirmations</source>
        <translation>Améliorer l’index avec {0} confirmations</translation>
    </message>
    <message>
        <source>The index is being improved</source>
        <translation>L’index est en cours d’amélioration</translation>
    </message>
    <message>
        <source>Improving the index needs at least {0} confirmed or edited photos; this session has {1}</source>
        <translation>Améliorer l’index demande au moins {0} photos confirmées ou modifiées ; cette session en a {1}</translation>
    </message>
    <message>
        <source>Undo: back to {0}</source>
        <translation>Annuler : revenir à {0}</translation>
    </message>
</context>
<context>
    <name>ReviewStatus</name>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="27"/>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="28"/>
        <source>confirmed</source>
        <translation>confirmée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="29"/>
        <source>rejected</source>
        <translation>rejetée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="30"/>
        <source>edited</source>
        <translation>modifiée</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="38"/>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="39"/>
        <source>Confirmed</source>
        <translation>Confirmées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="40"/>
        <source>Rejected</source>
        <translation>Rejetées</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/definitions.py" line="41"/>
        <source>Edited</source>
        <translation>Modifiées</translation>
    </message>
</context>
<context>
    <name>SearchArea</name>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="82"/>
        <source>&apos;{}&apos; is not a latitude, longitude pair: type e.g. 47.04, -99.15</source>
        <translation>« {} » n'est pas un couple latitude, longitude : tapez par ex. 47.04, -99.15</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="104"/>
        <source>&apos;{}&apos; is not a number</source>
        <translation>« {} » n'est pas un nombre</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="106"/>
        <source>above {}</source>
        <translation>supérieur à {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="106"/>
        <source>between {} and {}</source>
        <translation>entre {} et {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="111"/>
        <source>{} must be {}</source>
        <translation>{} doit être {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="119"/>
        <source>&apos;{}&apos; is not an altitude: type km, e.g. 410 or 400-420</source>
        <translation>« {} » n'est pas une altitude : tapez des km, par ex. 410 ou 400-420</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="130"/>
        <source>choose the {} file</source>
        <translation>choisissez le fichier {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="132"/>
        <source>{} does not exist: choose the {} file</source>
        <translation>{} n'existe pas : choisissez le fichier {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="148"/>
        <source>no polygon to search in: select polygons of a polygon layer</source>
        <translation>aucun polygone où chercher : sélectionnez des polygones d'une couche de polygones</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="172"/>
        <source>cannot write the search area to {}: {}</source>
        <translation>impossible d'écrire la zone de recherche dans {} : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="187"/>
        <source>the map shows nothing yet: zoom to the area to search</source>
        <translation>la carte ne montre encore rien : zoomez sur la zone à examiner</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="198"/>
        <source>choose a polygon layer</source>
        <translation>choisissez une couche de polygones</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="202"/>
        <source>no polygon of {} is selected: select the area&apos;s polygons on the map</source>
        <translation>aucun polygone de {} n'est sélectionné : sélectionnez sur la carte les polygones de la zone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="247"/>
        <source>type the point (latitude, longitude), or drop a photo with EXIF GPS</source>
        <translation>tapez le point (latitude, longitude), ou déposez une photo avec un GPS EXIF</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="256"/>
        <source>area</source>
        <translation>de zone</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="258"/>
        <source>two-line element (TLE)</source>
        <translation>de paramètres orbitaux (TLE)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="263"/>
        <source>catalogue CSV</source>
        <translation>catalogue CSV</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="265"/>
        <source>unknown search area {}</source>
        <translation>zone de recherche inconnue {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/locate/priors.py" line="274"/>
        <source>&apos;{}&apos; is not a date and time: type e.g. 2020-02-14 10:32:05 (UTC)</source>
        <translation>« {} » n'est pas une date et une heure : tapez par ex. 2020-02-14 10:32:05 (UTC)</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="81"/>
        <source>Session file not found: {0}</source>
        <translation>Fichier de session introuvable : {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="57"/>
        <source>Cannot create the session: folder {0} does not exist</source>
        <translation>Impossible de créer la session : le dossier {0} n'existe pas</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="61"/>
        <source>Cannot create the session: folder {0} is not writable</source>
        <translation>Impossible de créer la session : le dossier {0} n'est pas accessible en écriture</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="80"/>
        <source>Cannot create the session {0}: {1}</source>
        <translation>Impossible de créer la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="39"/>
        <source>Cannot open the session {0}: {1}</source>
        <translation>Impossible d'ouvrir la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/sql.py" line="45"/>
        <source>{0} is not an AstroLoc review session (missing tables: {1})</source>
        <translation>{0} n'est pas une session de revue AstroLoc (tables manquantes : {1})</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="122"/>
        <source>Could not read the session {0}: {1}</source>
        <translation>Impossible de lire la session {0} : {1}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="285"/>
        <source>Photo has no candidate {0}</source>
        <translation>La photo n'a pas de candidat {0}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="435"/>
        <source>Session {0}: all pending decisions were written</source>
        <translation>Session {0} : toutes les décisions en attente ont été écrites</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="487"/>
        <source>the file is read-only</source>
        <translation>le fichier est en lecture seule</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/session/store.py" line="489"/>
        <source>the file is locked by another program</source>
        <translation>le fichier est verrouillé par un autre programme</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="56"/>
        <source>AstroLoc settings</source>
        <translation>Paramètres d'AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="64"/>
        <source>not found: create the environment below</source>
        <translation>introuvable : créez l'environnement ci-dessous</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="67"/>
        <source>Engine Python</source>
        <translation>Python du moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="69"/>
        <source>Environment folder</source>
        <translation>Dossier de l'environnement</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="71"/>
        <source>optional: offline wheel folder</source>
        <translation>facultatif : dossier de paquets hors ligne</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="72"/>
        <source>Offline wheels</source>
        <translation>Paquets hors ligne (wheels)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="74"/>
        <source>Default index</source>
        <translation>Index par défaut</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="75"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="81"/>
        <source>Review session</source>
        <translation>Session de revue</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="83"/>
        <source>Reviewer</source>
        <translation>Relecteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="87"/>
        <source>Candidates (k)</source>
        <translation>Candidats (k)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="91"/>
        <source>Test engine</source>
        <translation>Tester le moteur</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="94"/>
        <source>Create environment…</source>
        <translation>Créer l'environnement…</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="102"/>
        <source>Engine versions and messages appear here.</source>
        <translation>Les versions du moteur et les messages s'affichent ici.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="137"/>
        <source>No engine Python found. Click 'Create environment…'.</source>
        <translation>Aucun Python de moteur trouvé. Cliquez sur « Créer l'environnement… ».</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="139"/>
        <source>Starting {} …</source>
        <translation>Démarrage de {} …</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="146"/>
        <source>The engine failed: {}</source>
        <translation>Le moteur a échoué : {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="150"/>
        <source>Testing the AstroLoc engine</source>
        <translation>Test du moteur AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/settings_dialog.py" line="161"/>
        <source>Environment ready in {}.</source>
        <translation>Environnement prêt dans {}.</translation>
    </message>
</context>
<context>
    <name>WorkerClient</name>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="60"/>
        <source>see the QGIS log, AstroLoc tab</source>
        <translation>voir le journal de QGIS, onglet AstroLoc</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="56"/>
        <source>The engine environment is incomplete ({}).</source>
        <translation>L'environnement du moteur est incomplet ({}).</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="208"/>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="105"/>
        <source>The engine ended the request without a result.</source>
        <translation>Le moteur a terminé la requête sans résultat.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="148"/>
        <source>The AstroLoc engine stopped unexpectedly (exit code {}).</source>
        <translation>Le moteur AstroLoc s'est arrêté de façon inattendue (code de sortie {}).</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="278"/>
        <source>The next photo restarts it. Details are in {}.</source>
        <translation>La photo suivante le redémarre. Détails dans {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="211"/>
        <source>The AstroLoc engine did not start in time.</source>
        <translation>Le moteur AstroLoc n'a pas démarré à temps.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="211"/>
        <source>See {}.</source>
        <translation>Voir {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="217"/>
        <source>The AstroLoc engine could not start.</source>
        <translation>Le moteur AstroLoc n'a pas pu démarrer.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="217"/>
        <source>{} (full log: {}; check the engine environment in AstroLoc settings)</source>
        <translation>{} (journal complet : {} ; vérifiez l'environnement du moteur dans les paramètres d'AstroLoc)</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="231"/>
        <source>The engine environment of {} lacks {}.</source>
        <translation>Il manque {1} dans l'environnement du moteur de {0}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="258"/>
        <source>The AstroLoc engine could not start: {}.</source>
        <translation>Le moteur AstroLoc n'a pas pu démarrer : {}.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="258"/>
        <source>Open AstroLoc settings and set up the engine environment.</source>
        <translation>Ouvrez les paramètres d'AstroLoc et installez l'environnement du moteur.</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/worker/client.py" line="278"/>
        <source>The AstroLoc engine stopped unexpectedly.</source>
        <translation>Le moteur AstroLoc s'est arrêté de façon inattendue.</translation>
    </message>
</context>
<context>
    <name>IndexAdaptation</name>
    <message>
        <source>photo not found</source>
        <translation>photo introuvable</translation>
    </message>
    <message>
        <source>outside the index&apos;s coverage</source>
        <translation>hors de la couverture de l’index</translation>
    </message>
    <message>
        <source>unreadable photo</source>
        <translation>photo illisible</translation>
    </message>
    <message>
        <source>Improving the index was cancelled; the index is unchanged.</source>
        <translation>L’amélioration de l’index a été annulée ; l’index est inchangé.</translation>
    </message>
    <message>
        <source>The index was not adapted: it would find photos of places it has not seen less often (your confirmed photos, one region held out at a time: R@1 {0:.0%} -&gt; {1:.0%} over {2} photos). Confirm more photos, of more varied places, or adapt anyway.</source>
        <translation>L’index n’a pas été adapté : il retrouverait moins souvent les photos de lieux qu’il n’a pas vus (vos photos confirmées, une région mise de côté à la fois : R@1 {0:.0%} -&gt; {1:.0%} sur {2} photos). Confirmez davantage de photos, de lieux plus variés, ou adaptez quand même.</translation>
    </message>
    <message>
        <source>The index was not adapted (it is unchanged): {0}</source>
        <translation>L’index n’a pas été adapté (il est inchangé) : {0}</translation>
    </message>
    <message>
        <source>Choose an index in the Locate tab first: that is the index improved.</source>
        <translation>Choisissez d’abord un index dans l’onglet Localiser : c’est l’index amélioré.</translation>
    </message>
    <message>
        <source>Index improved with {0} confirmed photos: Locate now uses {1} ({2} is kept).</source>
        <translation>Index amélioré avec {0} photos confirmées : Localiser utilise maintenant {1} ({2} est conservé).</translation>
    </message>
    <message>
        <source>Back to the index {0}; the adapted index {1} stays in the index list.</source>
        <translation>Retour à l’index {0} ; l’index adapté {1} reste dans la liste des index.</translation>
    </message>
    <message>
        <source>{0} skipped ({1}): {2}</source>
        <translation>{0} ignorée(s) ({1}) : {2}</translation>
    </message>
    <message>
        <source>Footprint confidence not recalibrated: {0}</source>
        <translation>Confiance des emprises non recalibrée : {0}</translation>
    </message>
    <message>
        <source>Footprint confidence calibrated on {0} of your decisions ({1} confirmed, {2} rejected).</source>
        <translation>Confiance des emprises calibrée sur {0} de vos décisions ({1} confirmées, {2} rejetées).</translation>
    </message>
    <message>
        <source>Footprint confidence not recalibrated: {0} decided footprints ({1} confirmed, {2} rejected); it needs at least {3}, with {4} of each.</source>
        <translation>Confiance des emprises non recalibrée : {0} emprises décidées ({1} confirmées, {2} rejetées) ; il en faut au moins {3}, dont {4} de chaque sorte.</translation>
    </message>
</context>
<context>
    <name>AdaptTask</name>
    <message>
        <source>Starting the engine…</source>
        <translation>Démarrage du moteur…</translation>
    </message>
    <message>
        <source>AstroLoc: improving the index {0}</source>
        <translation>AstroLoc : amélioration de l’index {0}</translation>
    </message>
    <message>
        <source>Calibrating the footprint confidence…</source>
        <translation>Calibrage de la confiance des emprises…</translation>
    </message>
</context>
<context>
    <name>IndexCoverage</name>
    <message>
        <location filename="../astroloc_qgis/map/coverage.py" line="37"/>
        <source>Index coverage — {}</source>
        <translation>Couverture de l'index — {}</translation>
    </message>
    <message>
        <location filename="../astroloc_qgis/map/coverage.py" line="41"/>
        <source>Index coverage (generalized) — {}</source>
        <translation>Couverture de l'index (généralisée) — {}</translation>
    </message>
</context>
</TS>
