-- Motorbike profile for OSRM (profile API version 4), written for jemput-bola.
--
-- Indonesian recording teams often ride motorbikes: they may not use toll roads
-- (motorway; forbidden to motorbikes in Indonesia, UU 22/2009 and PP 15/2005),
-- they do use tracks and paths a car cannot, and they keep left. Speeds are door-to-door
-- averages (km/h) in mixed traffic, not limits; planner/travel/osm.py uses the same table
-- for its scipy fallback so both engines agree on a network.

api_version = 4

local speeds = {
  trunk = 55, trunk_link = 40,
  primary = 45, primary_link = 35,
  secondary = 40, secondary_link = 30,
  tertiary = 35, tertiary_link = 25,
  unclassified = 30, residential = 25, road = 25,
  living_street = 10, service = 15,
  track = 20, path = 10, bridleway = 10,
}

-- access tags, most specific first; any of these values closes the way
local access_keys = { 'motorcycle', 'motor_vehicle', 'vehicle', 'access' }
local closed = { no = true, private = true, agricultural = true, forestry = true, delivery = true }

function setup()
  return {
    properties = {
      weight_name = 'duration',
      max_speed_for_map_matching = 100 / 3.6,
      continue_straight_at_waypoint = false,
      use_turn_restrictions = false,
      left_hand_driving = true,
      u_turn_penalty = 20,
    },
    speeds = speeds,
  }
end

function process_node(profile, node, result, relations)
  local barrier = node:get_value_by_key('barrier')
  -- a gate or bollard stops cars but a motorbike passes; only a wall or fence blocks it
  if barrier == 'wall' or barrier == 'fence' then
    result.barrier = true
  end
end

function process_way(profile, way, result, relations)
  local highway = way:get_value_by_key('highway')
  if not highway then
    return
  end
  local speed = profile.speeds[highway]
  if not speed then
    return
  end
  for _, key in ipairs(access_keys) do
    local value = way:get_value_by_key(key)
    if value then
      if closed[value] then
        return
      end
      break
    end
  end
  local oneway = way:get_value_by_key('oneway')
  result.forward_mode = mode.driving
  result.backward_mode = mode.driving
  result.forward_speed = speed
  result.backward_speed = speed
  if oneway == 'yes' or oneway == '1' or oneway == 'true' then
    result.backward_mode = mode.inaccessible
  elseif oneway == '-1' then
    result.forward_mode = mode.inaccessible
  end
  result.name = way:get_value_by_key('name') or ''
end

function process_turn(profile, turn)
  turn.duration = 0
  if turn.is_u_turn then
    turn.duration = profile.properties.u_turn_penalty
  end
  turn.weight = turn.duration
end

return {
  setup = setup,
  process_way = process_way,
  process_node = process_node,
  process_turn = process_turn,
}
